using Dapper;
using NodaTime;
using Tollgate.Core.Calendar;

namespace Tollgate.Storage.Ledger;

/// <summary>A free quota as the console shows it: what is left now and when it refills (null: a lifetime quota never does).</summary>
public sealed record FreeQuota(long AccountId, string Owner, string Unit, string Scope, string Period, decimal Limit, decimal Left, Instant? RefillsAt);

public sealed partial class LedgerStore
{
    /// <summary>
    /// The tenant's free quotas. A daily quota is refilled lazily, by the first charge of a new local day
    /// (<see cref="ResetQuotaAsync"/>): one whose stored period is an earlier day is shown full, as the next charge will find it.
    /// </summary>
    public async Task<IReadOnlyList<FreeQuota>> ListFreeQuotasAsync(string tenant, string timeZone, CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(cancel);
        var rows = await connection.QueryAsync<(long AccountId, string Owner, string Unit, string Scope, string? Period, long? Limit, long? PeriodStart, long Posted)>(
            "SELECT account_id, owner, unit, scope, quota_period, quota_limit, period_start, posted FROM accounts WHERE tenant_id = @tenant AND kind = 'free_quota' ORDER BY account_id",
            new { tenant });
        var now = clock.GetCurrentInstant();
        var today = TenantCalendar.DayStart(now, timeZone);
        var tomorrow = TenantCalendar.Zone(timeZone).AtStartOfDay(now.InZone(TenantCalendar.Zone(timeZone)).Date.PlusDays(1)).ToInstant();
        return [.. rows.Select(r =>
        {
            var daily = r.Period == "day";
            var stale = daily ? r.PeriodStart != today.ToUnixTimeMilliseconds() : r.PeriodStart is null;
            var limit = r.Limit ?? 0L;
            return new FreeQuota(r.AccountId, r.Owner, r.Unit, r.Scope, r.Period ?? "lifetime", Dec(limit), Dec(stale ? limit : r.Posted), daily ? tomorrow : null);
        })];
    }
}
