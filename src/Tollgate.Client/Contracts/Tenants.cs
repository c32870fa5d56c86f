namespace Tollgate.Client.Contracts;

/// <summary>How money balances share a charge once free quotas and resource packs have paid their part.</summary>
public enum FundingOrder
{
    Proportional,
    BonusFirst,
    Priority,
    EarliestExpiry,
}

/// <summary>How long a billing cycle is, in the tenant's time zone.</summary>
public enum BillingCycle
{
    Daily,
    Monthly,
}

/// <summary>A benefit level: from a cumulative recharge of <see cref="Threshold"/>, charges are multiplied by <see cref="Discount"/>.</summary>
public sealed record DiscountTier(decimal Threshold, decimal Discount);

/// <summary>
/// A tenant's settings. On create only <see cref="Id"/> is required; on update (PATCH) every field left null keeps
/// its value.
/// </summary>
/// <param name="TimeZone">IANA zone of the tenant's billing days and daily quotas (Asia/Shanghai).</param>
/// <param name="UserDiscount">Factor on every charge, 0 to 1 (0.9 = 10% off).</param>
/// <param name="Strict">Reject usage the balances cannot cover instead of letting it go into arrears.</param>
/// <param name="MessageBilling">The end user (the event's subject) pays instead of the developer.</param>
/// <param name="FreeChannels">Channels whose usage costs nothing (the store, by default).</param>
/// <param name="ChannelUnits">Channel -> the unit of balances that pays for it (api: api_tokens).</param>
/// <param name="UnitRates">"from->to" -> how many "to" units one "from" unit is ("credits->api_tokens": 1).</param>
/// <param name="BillingCycle">daily (the default) or monthly.</param>
/// <param name="DiscountTiers">Benefit levels by cumulative recharge; the better of a reached tier and user_discount applies.</param>
/// <param name="LowBalance">Unit -> balance under which a low_balance alert is sent.</param>
public sealed record TenantRequest(
    string? Id = null,
    string? TimeZone = null,
    string? PriceBook = null,
    string? Plan = null,
    decimal? UserDiscount = null,
    FundingOrder? FundingOrder = null,
    bool? Strict = null,
    bool? MessageBilling = null,
    IReadOnlyList<string>? FreeChannels = null,
    IReadOnlyDictionary<string, string>? ChannelUnits = null,
    IReadOnlyDictionary<string, decimal>? UnitRates = null,
    BillingCycle? BillingCycle = null,
    IReadOnlyList<DiscountTier>? DiscountTiers = null,
    IReadOnlyDictionary<string, decimal>? LowBalance = null);

public sealed record Tenant(
    string Id,
    string TimeZone,
    string PriceBook,
    string Plan,
    decimal UserDiscount,
    FundingOrder FundingOrder,
    bool Strict,
    bool MessageBilling,
    IReadOnlyList<string> FreeChannels,
    IReadOnlyDictionary<string, string> ChannelUnits,
    IReadOnlyDictionary<string, decimal> UnitRates,
    decimal CumulativeRecharge,
    BillingCycle BillingCycle,
    IReadOnlyList<DiscountTier> DiscountTiers,
    IReadOnlyDictionary<string, decimal> LowBalance);

public sealed record TenantList(IReadOnlyList<Tenant> Tenants);

/// <summary>An end user of a tenant: the payer under message billing, the owner of per-user balances.</summary>
public sealed record EndUserRequest(string Id, string? Name = null);

public sealed record EndUser(string Id, string? Name, DateTimeOffset CreatedAt);

public sealed record EndUserList(IReadOnlyList<EndUser> Users);
