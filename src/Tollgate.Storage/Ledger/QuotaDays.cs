using Dapper;

namespace Tollgate.Storage.Ledger;

/// <summary>
/// A daily free quota counts per local day of the event in the tenant's zone, like bills, not by the server's
/// clock: a late event of an earlier day uses what that day left, never today's. The quota account's balance is
/// the day of its <see cref="AccountRow.PeriodStart"/> (the latest day charged); an earlier day's use is the sum of
/// the quota's usage for events of that day. One write transaction's view of it (<see cref="LedgerWork.QuotaDays"/>).
/// </summary>
/// <remarks>
/// A late event funded by a quota is posted twice: the quota is first given the amount back from issuance, then
/// pays it as usual, so its balance (today's) is unchanged and the event's own day counts the use.
/// </remarks>
internal sealed class QuotaDays
{
    /// <summary>(quota account, day start) -> units used that day, as known in this transaction.</summary>
    private readonly Dictionary<(long Account, long Day), decimal> used = [];

    /// <summary>The quota accounts funding the event being charged for an earlier day than their own: account -> that day.</summary>
    public Dictionary<long, long> Late { get; } = [];

    /// <summary>A quota moves on to a later day: what it used on the day it leaves is its limit less its balance.</summary>
    public void Leave(AccountRow quota, long day) => used[(quota.AccountId, day)] = quota.QuotaLimit!.Value - quota.Posted;

    /// <summary>Counts a late event's use of a quota on its own day.</summary>
    public void Use(long account, long day, decimal units) => used[(account, day)] = used.GetValueOrDefault((account, day)) + units;

    /// <summary>What a quota used on one earlier day: its usage for events of that day (read once, then kept up to date here).</summary>
    public async Task<decimal> UsedAsync(LedgerWork work, AccountRow quota, long dayStart, long dayEnd)
    {
        if (!used.TryGetValue((quota.AccountId, dayStart), out var units))
        {
            units = LedgerStore.Units(await work.Connection.ExecuteScalarAsync<object?>(
                $"SELECT {work.Dialect.SumUnits("t.amount")} FROM events e JOIN transfers t ON t.tenant_id = e.tenant_id AND t.event_id = e.event_id " +
                "WHERE e.tenant_id = @TenantId AND e.event_time >= @dayStart AND e.event_time < @dayEnd AND t.debit_account = @AccountId AND t.kind IN ('usage', 'capture')",
                new { quota.TenantId, quota.AccountId, dayStart, dayEnd },
                work.Transaction));
            used[(quota.AccountId, dayStart)] = units;
        }

        return units;
    }
}
