using System.Globalization;
using Tollgate.Storage.Ledger;

namespace Tollgate.Storage.Alerts;

/// <summary>
/// Watches balances: a tenant's balance of a unit under its low-balance threshold, and a free quota used up. Each
/// raises an alert when it becomes true, and again only after it was false in between.
/// </summary>
/// <remarks>
/// The balance watched is what the tenant itself (not its end users) can still spend in the unit: the available
/// amount of its recharge, bonus, resource pack and free quota accounts, less what it owes (arrears).
/// </remarks>
public sealed class AlertMonitor(LedgerStore ledger, AlertStore alerts)
{
    /// <summary>Checks every tenant once; returns the number of alerts raised.</summary>
    public async Task<int> CheckAsync(CancellationToken cancel = default)
    {
        var tenants = await ledger.ListTenantsAsync(cancel);
        var balances = await ledger.GetBalancesAsync([.. tenants.Select(t => t.Id)], cancel);
        var active = await alerts.ActiveConditionsAsync(cancel);
        var raised = 0;

        // Writes only where a condition changed: a quiet check reads and writes nothing else.
        async Task SetAsync(string tenant, string key, bool now, string kind, object data)
        {
            if (now != active.Contains((tenant, key)))
            {
                raised += await alerts.SetConditionAsync(tenant, key, now, kind, data, cancel) ? 1 : 0;
            }
        }

        foreach (var tenant in tenants)
        {
            var accounts = balances.GetValueOrDefault(tenant.Id) ?? [];
            foreach (var (unit, threshold) in tenant.LowBalanceThresholds)
            {
                var own = accounts.Where(a => a.Owner.Length == 0 && a.Unit == unit).ToList();
                var balance = own.Where(a => AccountKinds.Funding(a.Kind) is not null).Sum(a => a.Available)
                    + own.Where(a => a.Kind == AccountKinds.Arrears).Sum(a => Math.Min(0m, a.Posted));
                var data = new { unit, balance = Text(balance), threshold = Text(threshold) };
                await SetAsync(tenant.Id, $"low_balance:{unit}", balance < threshold, AlertKinds.LowBalance, data);
            }

            foreach (var quota in accounts.Where(a => a.Kind == AccountKinds.FreeQuota))
            {
                var data = new { account_id = quota.AccountId, owner = quota.Owner, unit = quota.Unit };
                await SetAsync(tenant.Id, $"quota_exhausted:{quota.AccountId}", quota.Available <= 0m, AlertKinds.QuotaExhausted, data);
            }
        }

        return raised;
    }

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
