using System.Text.Json;
using Tollgate.Core.Calendar;
using Tollgate.Core.Funding;
using Tollgate.Core.Tenants;

namespace Tollgate.Storage.Ledger;

/// <summary>Tenant settings as stored (JSON), with plain collections.</summary>
internal sealed record TenantSettingsDocument(
    string Id,
    string TimeZone,
    string PriceBook,
    string Plan,
    decimal UserDiscount,
    FundingOrder FundingOrder,
    bool Strict,
    Dictionary<string, string> ChannelUnits,
    Dictionary<string, decimal> UnitRates,
    string[] FreeChannels,
    bool MessageBilling,
    BillingPeriod Cycle = BillingPeriod.Daily,
    DiscountTier[]? DiscountTiers = null,
    Dictionary<string, decimal>? LowBalance = null)
{
    public static TenantSettingsDocument From(TenantSettings s)
    {
        var routes = s.EffectiveRoutes;
        return new(s.Id, s.TimeZone, s.PriceBook, s.Plan, s.UserDiscount, s.FundingOrder, s.Strict,
            new Dictionary<string, string>(routes.ChannelUnits), new Dictionary<string, decimal>(routes.UnitRates), [.. routes.FreeChannels], routes.MessageBilling,
            s.Cycle, [.. s.Tiers], new Dictionary<string, decimal>(s.LowBalanceThresholds));
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Settings already parsed, by their stored text (at most 4,096 texts, a few MB). Every hold and settlement reads its
    /// tenant's row (another node may have changed it), and parsing the same text again was two JSON reads per gateway
    /// call. Settings are immutable, so one instance serves every reader of its text; a changed row is a new text.
    /// </summary>
    private static readonly Sql.BoundedCache<string, TenantSettings> Parsed = new(4096, StringComparer.Ordinal);

    /// <summary>The settings stored in a tenants row.</summary>
    public static TenantSettings Parse(string json) =>
        Parsed.GetOrAdd(json, static text => JsonSerializer.Deserialize<TenantSettingsDocument>(text, Json)!.ToSettings());

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public TenantSettings ToSettings() => new(
        Id, TimeZone, PriceBook, Plan, UserDiscount, FundingOrder, Strict,
        new FundingRoutes(ChannelUnits, UnitRates, new HashSet<string>(FreeChannels, StringComparer.Ordinal), MessageBilling),
        Cycle, DiscountTiers ?? [], LowBalance ?? []);
}
