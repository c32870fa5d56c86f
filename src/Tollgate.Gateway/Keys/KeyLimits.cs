using Dapper;
using NodaTime;
using Tollgate.Core.Money;
using Tollgate.Storage.Ledger;
using Tollgate.Storage.Sql;

namespace Tollgate.Gateway.Keys;

/// <summary>
/// A gateway key's budget and request rate, kept in the database so that every node sharing it enforces the same limit.
/// </summary>
/// <remarks>
/// A budget reservation is one conditional UPDATE (<c>spent + reserved + amount &lt;= budget</c>): the row lock (or
/// SQLite's single writer) makes concurrent calls take turns, and the condition is checked on the row as it is then,
/// so 200 concurrent calls against a budget for 50 get 50 reservations. The rate limit is a fixed one-minute window
/// counted with an upsert. Writes take a <see cref="WriteScope"/>: they go in the same group-committed transaction as
/// the ledger hold or settlement they belong to.
/// </remarks>
public sealed class KeyLimits(SqlDialect dialect, IClock clock, LedgerStore ledger)
{
    /// <summary>The budget period a call falls in: the tenant's day or month, or lifetime.</summary>
    public async Task<string> PeriodAsync(GatewayKey key, KeyBudget budget, CancellationToken cancel)
    {
        if (budget.Period == KeyBudget.Lifetime)
        {
            return KeyBudget.Lifetime;
        }

        var settings = await ledger.GetTenantAsync(key.Tenant, cancel);
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(settings?.TimeZone ?? "UTC") ?? DateTimeZone.Utc;
        var today = clock.GetCurrentInstant().InZone(zone).Date;
        return budget.Period == KeyBudget.Day ? today.ToString("uuuu'-'MM'-'dd", null) : today.ToString("uuuu'-'MM", null);
    }

    /// <summary>
    /// Reserves <paramref name="amount"/> of a budget counter (a key's id, or an end user's <c>user:</c> counter) for the
    /// period; false (nothing reserved) when it would pass <paramref name="budget"/>.
    /// </summary>
    public static async Task<bool> TryReserveAsync(WriteScope scope, string tenant, string counter, decimal budget, string period, decimal amount)
    {
        if (amount > budget)
        {
            return false;
        }

        var units = Units(amount);
        var limit = Units(budget);
        await scope.Connection.ExecuteAsync(
            "INSERT INTO gateway_budget_usage (tenant_id, key_id, period, spent, reserved) VALUES (@tenant, @counter, @period, 0, 0) ON CONFLICT DO NOTHING",
            new { tenant, counter, period },
            scope.Transaction);
        var updated = await scope.Connection.ExecuteAsync(
            "UPDATE gateway_budget_usage SET reserved = reserved + @units WHERE tenant_id = @tenant AND key_id = @counter AND period = @period AND spent + reserved + @units <= @limit",
            new { tenant, counter, period, units, limit },
            scope.Transaction);
        return updated == 1;
    }

    /// <summary>Ends a budget reservation: what was reserved goes back, what the call cost is spent.</summary>
    public static Task SettleAsync(WriteScope scope, string tenant, string counter, string period, decimal reserved, decimal spent) =>
        scope.Connection.ExecuteAsync(
            "UPDATE gateway_budget_usage SET reserved = reserved - @reserved, spent = spent + @spent WHERE tenant_id = @tenant AND key_id = @counter AND period = @period",
            new { tenant, counter, period, reserved = Units(reserved), spent = Units(spent) },
            scope.Transaction);

    /// <summary>Adds a settled call to a counter that only watches (a soft limit) and returns what it has spent now, this call included.</summary>
    public static async Task<decimal> AddSpentAsync(WriteScope scope, string tenant, string counter, string period, decimal spent)
    {
        var total = await scope.Connection.ExecuteScalarAsync<long>(
            "INSERT INTO gateway_budget_usage (tenant_id, key_id, period, spent, reserved) VALUES (@tenant, @counter, @period, @spent, 0) " +
            "ON CONFLICT (tenant_id, key_id, period) DO UPDATE SET spent = gateway_budget_usage.spent + @spent RETURNING spent",
            new { tenant, counter, period, spent = Units(spent) },
            scope.Transaction);
        return LedgerAmount.FromUnits(total);
    }

    /// <summary>
    /// The largest budget a key may have, in units. Budget counters are 64-bit integers of 10^-8 units updated by one
    /// conditional UPDATE on both engines, so a budget (and any call it admits) stays below 9.2 x 10^10 units.
    /// </summary>
    public const decimal MaxBudget = 10_000_000_000m;

    /// <summary>An amount within <see cref="MaxBudget"/> as the counters' 64-bit units (bound as an integer on SQLite too).</summary>
    internal static long Units(decimal amount) => checked((long)LedgerAmount.ToUnits(amount));

    /// <summary>What is left of a budget counter for the period: the budget less what is spent and reserved (never below 0).</summary>
    public async Task<decimal> RoomAsync(string tenant, string counter, decimal budget, string period, CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(cancel);
        var used = await connection.ExecuteScalarAsync<long?>(
            "SELECT spent + reserved FROM gateway_budget_usage WHERE tenant_id = @tenant AND key_id = @counter AND period = @period", new { tenant, counter, period });
        return Math.Max(0m, budget - LedgerAmount.FromUnits(used ?? 0));
    }

    /// <summary>What the key spent in a period (settled calls only).</summary>
    public async Task<decimal> SpentAsync(GatewayKey key, string period, CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(cancel);
        var units = await connection.ExecuteScalarAsync<long?>(
            "SELECT spent FROM gateway_budget_usage WHERE tenant_id = @Tenant AND key_id = @Id AND period = @period", new { key.Tenant, key.Id, period });
        return LedgerAmount.FromUnits(units ?? 0);
    }

    /// <summary>
    /// Counts a request in the current minute; the seconds to wait when the key is over its requests per minute, or its
    /// calls of this minute have already settled its tokens per minute; else null.
    /// </summary>
    public async Task<int?> CountRequestAsync(GatewayKey key, CancellationToken cancel)
    {
        if (key.RequestsPerMinute is null && key.TokensPerMinute is null)
        {
            return null;
        }

        var now = clock.GetCurrentInstant().ToUnixTimeMilliseconds();
        var minute = now / 60_000;
        var (calls, tokens) = await ledger.Writes.WriteAsync(key.Tenant, async scope =>
        {
            var counted = await scope.Connection.QuerySingleAsync<(long Calls, long Tokens)>(
                "INSERT INTO gateway_rate (tenant_id, key_id, minute, calls, tokens) VALUES (@Tenant, @Id, @minute, 1, 0) " +
                "ON CONFLICT (tenant_id, key_id, minute) DO UPDATE SET calls = gateway_rate.calls + 1 RETURNING calls, tokens",
                new { key.Tenant, key.Id, minute },
                scope.Transaction);
            if (counted.Calls == 1)
            {
                // The first call of a minute clears the key's older windows.
                await scope.Connection.ExecuteAsync(
                    "DELETE FROM gateway_rate WHERE tenant_id = @Tenant AND key_id = @Id AND minute < @minute", new { key.Tenant, key.Id, minute }, scope.Transaction);
            }

            return counted;
        }, cancel, durable: false); // a count lost in a power cut lets the key make one more call after the restart

        var over = calls > key.RequestsPerMinute || tokens >= key.TokensPerMinute;
        return over ? (int)(((minute + 1) * 60_000 - now + 999) / 1000) : null;
    }

    /// <summary>Adds a settled call's tokens to the key's current minute (for its tokens-per-minute limit).</summary>
    public async Task AddTokensAsync(WriteScope scope, GatewayKey key, decimal tokens)
    {
        if (key.TokensPerMinute is null || tokens <= 0)
        {
            return;
        }

        var minute = clock.GetCurrentInstant().ToUnixTimeMilliseconds() / 60_000;
        await scope.Connection.ExecuteAsync(
            "INSERT INTO gateway_rate (tenant_id, key_id, minute, calls, tokens) VALUES (@Tenant, @Id, @minute, 0, @count) " +
            "ON CONFLICT (tenant_id, key_id, minute) DO UPDATE SET tokens = gateway_rate.tokens + @count",
            new { key.Tenant, key.Id, minute, count = (long)decimal.Ceiling(tokens) },
            scope.Transaction);
    }
}
