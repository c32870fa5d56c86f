using NodaTime;
using Tollgate.Core.Calendar;
using Tollgate.Core.Tenants;
using Tollgate.Storage.Ledger;
using Tollgate.Storage.Usage;

namespace Tollgate.WebConsole.Components.Shared;

/// <summary>
/// What the overview shows, read from the same stores the API reads: balances from the ledger, spend from the hourly
/// rollups (three indexed queries, never a scan of events), the benefit tier from the cumulative recharge.
/// </summary>
public sealed record TenantSummary(
    TenantSettings Tenant,
    IReadOnlyList<AccountBalance> Balances,
    IReadOnlyDictionary<string, decimal> SpendToday,
    IReadOnlyDictionary<string, decimal> SpendCycle,
    IReadOnlyDictionary<string, decimal> Spend30Days,
    decimal CumulativeRecharge,
    decimal Discount,
    DiscountTier? Tier,
    DiscountTier? NextTier)
{
    public IEnumerable<AccountBalance> Funding => Balances.Where(b => b.Kind != AccountKinds.Arrears);

    /// <summary>Unit -> what the tenant owes (arrears accounts are negative by the debt).</summary>
    public IReadOnlyDictionary<string, decimal> Arrears =>
        Balances.Where(b => b.Kind == AccountKinds.Arrears && b.Posted != 0m).GroupBy(b => b.Unit).ToDictionary(g => g.Key, g => -g.Sum(b => b.Posted));

    /// <summary>Unit -> what is available to spend across the tenant's own (not end users') balances.</summary>
    public IReadOnlyDictionary<string, decimal> Available =>
        Funding.Where(b => b.Owner.Length == 0).GroupBy(b => b.Unit).ToDictionary(g => g.Key, g => g.Sum(b => b.Available));

    public decimal Held => Balances.Sum(b => b.Held);

    public static async Task<TenantSummary> ReadAsync(TenantSettings tenant, LedgerStore ledger, UsageStore usage, Instant now, CancellationToken cancel)
    {
        var balances = await ledger.GetBalancesAsync(tenant.Id, cancel);
        var today = TenantCalendar.DayStart(now, tenant.TimeZone);
        var cycle = BillingCycle.Of(now, tenant.TimeZone, tenant.Cycle);
        var recharge = await ledger.GetCumulativeRechargeAsync(tenant.Id, cancel);
        var (discount, tier) = tenant.DiscountFor(recharge);
        var next = tenant.Tiers.Where(t => t.Threshold > recharge && t.Discount < discount).MinBy(t => t.Threshold);
        return new TenantSummary(
            tenant,
            balances,
            await SpendAsync(usage, tenant.Id, today, cancel),
            await SpendAsync(usage, tenant.Id, cycle.StartsAt, cancel),
            await SpendAsync(usage, tenant.Id, now - Duration.FromDays(30), cancel),
            recharge,
            discount,
            tier,
            next);
    }

    private static async Task<IReadOnlyDictionary<string, decimal>> SpendAsync(UsageStore usage, string tenant, Instant from, CancellationToken cancel)
    {
        var rows = await usage.QueryAsync(new UsageQuery(tenant, From: from), cancel);
        return rows.SelectMany(r => r.Amounts).GroupBy(a => a.Key).ToDictionary(g => g.Key, g => g.Sum(a => a.Value));
    }
}
