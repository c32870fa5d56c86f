using Tollgate.Core.Calendar;
using Tollgate.Core.Events;
using Tollgate.Core.Funding;

namespace Tollgate.Core.Tenants;

/// <summary>
/// How a tenant is priced, charged and billed.
/// </summary>
/// <param name="TimeZone">IANA zone for billing days and daily free quotas (Asia/Shanghai).</param>
/// <param name="PriceBook">The price book that rates the tenant's events.</param>
/// <param name="Strict">When on, usage the balances cannot cover is rejected (and recorded with its reason) instead of going to arrears.</param>
/// <param name="Cycle">The billing cycle: a local day (default) or a local month.</param>
/// <param name="DiscountTiers">Benefit levels reached by cumulative recharge; see <see cref="DiscountFor"/>.</param>
/// <param name="LowBalance">Unit -> the available balance under which a low-balance alert is sent.</param>
public sealed record TenantSettings(
    string Id,
    string TimeZone = "UTC",
    string PriceBook = "gptbots",
    string Plan = Plans.Free,
    decimal UserDiscount = 1m,
    FundingOrder FundingOrder = FundingOrder.Proportional,
    bool Strict = false,
    FundingRoutes? Routes = null,
    BillingPeriod Cycle = BillingPeriod.Daily,
    IReadOnlyList<DiscountTier>? DiscountTiers = null,
    IReadOnlyDictionary<string, decimal>? LowBalance = null)
{
    public FundingRoutes EffectiveRoutes => Routes ?? FundingRoutes.Default;

    public IReadOnlyList<DiscountTier> Tiers => DiscountTiers ?? [];

    public IReadOnlyDictionary<string, decimal> LowBalanceThresholds => LowBalance ?? new Dictionary<string, decimal>();

    /// <summary>
    /// The user discount at a cumulative recharge: the better of <see cref="UserDiscount"/> (negotiated) and the
    /// highest tier reached, so an automatic upgrade never takes away a negotiated discount. The tier is named for
    /// the charge's explanation (null when the negotiated discount applies).
    /// </summary>
    public (decimal Discount, DiscountTier? Tier) DiscountFor(decimal cumulativeRecharge)
    {
        var tier = Tiers.Where(t => t.Threshold <= cumulativeRecharge).MaxBy(t => t.Threshold);
        return tier is not null && tier.Discount < UserDiscount ? (tier.Discount, tier) : (UserDiscount, null);
    }
}
