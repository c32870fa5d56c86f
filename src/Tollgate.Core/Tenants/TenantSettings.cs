using Tollgate.Core.Events;
using Tollgate.Core.Funding;

namespace Tollgate.Core.Tenants;

/// <summary>
/// How a tenant is priced and charged.
/// </summary>
/// <param name="TimeZone">IANA zone for billing days and daily free quotas (Asia/Shanghai).</param>
/// <param name="PriceBook">The price book that rates the tenant's events.</param>
/// <param name="Strict">When on, usage the balances cannot cover is rejected (and recorded with its reason) instead of going to arrears.</param>
public sealed record TenantSettings(
    string Id,
    string TimeZone = "UTC",
    string PriceBook = "gptbots",
    string Plan = Plans.Free,
    decimal UserDiscount = 1m,
    FundingOrder FundingOrder = FundingOrder.Proportional,
    bool Strict = false,
    FundingRoutes? Routes = null)
{
    public FundingRoutes EffectiveRoutes => Routes ?? FundingRoutes.Default;
}
