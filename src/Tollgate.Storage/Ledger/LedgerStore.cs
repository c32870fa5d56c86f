using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using NodaTime;
using Tollgate.Core.Catalogs;
using Tollgate.Core.Funding;
using Tollgate.Core.Money;
using Tollgate.Core.Rating;
using Tollgate.Core.Tenants;
using Tollgate.Storage.Sql;

namespace Tollgate.Storage.Ledger;

/// <summary>
/// Balances, funding and the double-entry ledger over SQL: one implementation for SQLite and PostgreSQL.
/// </summary>
/// <remarks>
/// Every write is one transaction that locks the payer's accounts, decides with the pure <see cref="Funder"/>,
/// and writes the event, its transfers and the new balances together. Idempotency comes from primary keys
/// (tenant, event id), (tenant, hold id), (tenant, top-up id): a repeat conflicts on insert, never on a prior read.
/// </remarks>
public sealed partial class LedgerStore(SqlDialect dialect, IClock clock, Func<string, PriceBook?> priceBooks)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public SqlDialect Dialect => dialect;

    /// <summary>The group commit that holds, settlements and releases are written through; callers add their own writes to one.</summary>
    public GroupCommit Writes { get; } = new(dialect);

    public Task<int> MigrateAsync(CancellationToken cancel = default) => Migrator.MigrateAsync(dialect, cancel);

    public async Task SaveTenantAsync(TenantSettings settings, CancellationToken cancel = default)
    {
        var json = TenantSettingsDocument.From(settings).ToJson();
        await using var connection = await dialect.OpenAsync(cancel);
        await connection.ExecuteAsync(
            "INSERT INTO tenants (tenant_id, settings, created_at) VALUES (@Id, @json, @now) ON CONFLICT (tenant_id) DO UPDATE SET settings = excluded.settings",
            new { settings.Id, json, now = Now() });
    }

    public async Task<TenantSettings?> GetTenantAsync(string tenant, CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(cancel);
        return await LoadTenantAsync(connection, null, tenant);
    }

    /// <summary>The cumulative recharge of a tenant (what it paid, summed over recharges), for discount tiers.</summary>
    public async Task<decimal> GetCumulativeRechargeAsync(string tenant, CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(cancel);
        var units = await connection.ExecuteScalarAsync<object?>("SELECT cumulative_recharge FROM tenants WHERE tenant_id = @tenant", new { tenant });
        return LedgerAmount.FromUnits(Units(units));
    }

    public async Task<long> OpenAccountAsync(OpenAccount request, CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(cancel);
        await using var tx = await dialect.BeginWriteAsync(connection, cancel);
        var work = new LedgerWork(connection, tx, dialect, Now());
        await work.LockAsync([(request.Tenant, request.Owner)]);
        var settings = await LoadTenantAsync(connection, tx, request.Tenant) ?? throw new LedgerException(LedgerErrors.UnknownTenant, $"no tenant '{request.Tenant}'", "tenant");
        var account = await work.OpenAsync(new AccountRow
        {
            TenantId = request.Tenant,
            Owner = request.Owner,
            Kind = AccountKinds.Name(request.Kind),
            Unit = request.Unit,
            Scope = ScopeDocument.Write(request.Scope ?? AccountScope.Any),
            Floor = -LedgerAmount.ToUnits(request.Overdraft),
            ExpiresAt = request.ExpiresAt?.ToUnixTimeMilliseconds(),
            Priority = request.Priority,
            QuotaPeriod = request.QuotaPeriod,
            QuotaLimit = request.QuotaLimit is { } limit ? LedgerAmount.ToUnits(limit) : null,
        });
        if (account.QuotaLimit is not null)
        {
            await ResetQuotaAsync(work, settings, account, Instant.FromUnixTimeMilliseconds(work.Now));
        }

        await work.FlushAsync();
        await tx.CommitAsync(cancel);
        return account.AccountId;
    }

    private long Now() => clock.GetCurrentInstant().ToUnixTimeMilliseconds();

    private static async Task<TenantSettings?> LoadTenantAsync(DbConnection connection, DbTransaction? tx, string tenant)
    {
        var json = await connection.ExecuteScalarAsync<string?>("SELECT settings FROM tenants WHERE tenant_id = @tenant", new { tenant }, tx);
        return json is null ? null : TenantSettingsDocument.Parse(json);
    }

    /// <summary>A tenant as its events are charged: its settings, and its plan and user discount at its cumulative recharge.</summary>
    private sealed record ChargedTenant(TenantSettings Settings, RatingContext Rating);

    /// <summary>The tenant as its events are charged, read on a connection of its own (closed before any write).</summary>
    private async Task<ChargedTenant?> LoadChargedTenantAsync(string tenant, CancellationToken cancel)
    {
        await using var connection = await dialect.OpenAsync(cancel);
        return await LoadChargedTenantAsync(connection, tenant);
    }

    private static async Task<ChargedTenant?> LoadChargedTenantAsync(DbConnection connection, string tenant)
    {
        var row = await connection.QuerySingleOrDefaultAsync<(string Settings, object Recharge)?>(
            "SELECT settings, cumulative_recharge FROM tenants WHERE tenant_id = @tenant", new { tenant });
        if (row is not { } r)
        {
            return null;
        }

        var settings = TenantSettingsDocument.Parse(r.Settings);
        var (discount, tier) = settings.DiscountFor(LedgerAmount.FromUnits(Units(r.Recharge)));
        return new ChargedTenant(settings, tier is null
            ? new RatingContext(settings.Plan, discount)
            : new RatingContext(settings.Plan, discount, string.Create(CultureInfo.InvariantCulture, $"benefit tier: cumulative recharge of at least {tier.Threshold}")));
    }

    /// <summary>
    /// Refills a free quota to its limit when the day of the usage (<paramref name="at"/>, in the tenant's zone) is
    /// later than the quota's own day, or it was just opened. Returns that day's start when it is earlier than the
    /// quota's own (a late event): it is then funded from what that day left (<see cref="QuotaDays"/>). Without
    /// <paramref name="allowLate"/> (holds, which are not yet any day's usage), such usage takes the quota as it is.
    /// </summary>
    private static async Task<long?> ResetQuotaAsync(LedgerWork work, TenantSettings settings, AccountRow quota, Instant at, bool allowLate = false)
    {
        var periodStart = quota.QuotaPeriod == "day"
            ? Core.Calendar.TenantCalendar.DayStart(at, settings.TimeZone).ToUnixTimeMilliseconds()
            : 0L;
        if (quota.PeriodStart == periodStart)
        {
            return null;
        }

        if (quota.PeriodStart is { } current && periodStart < current)
        {
            return allowLate ? periodStart : null;
        }

        if (quota.PeriodStart is { } left && quota.QuotaPeriod == "day")
        {
            work.QuotaDays.Leave(quota, left);
        }

        var refill = quota.QuotaLimit!.Value - quota.Posted;
        if (refill > 0)
        {
            var issuance = await work.SystemAsync(quota.TenantId, quota.Owner, AccountKinds.Issuance, quota.Unit);
            work.Post(issuance, quota, refill, TransferKinds.QuotaReset);
        }

        quota.PeriodStart = periodStart;
        quota.Dirty = true;
        return null;
    }

    private static string Hash(string canonical) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));

    private static decimal Dec(decimal units) => LedgerAmount.FromUnits(units);

    /// <summary>An amount column as read: numeric (decimal) on PostgreSQL, integer text on SQLite; NULL is zero.</summary>
    internal static decimal Units(object? value) => value switch
    {
        null or DBNull => 0m,
        string text => LedgerAmount.Parse(text),
        _ => Convert.ToDecimal(value, CultureInfo.InvariantCulture),
    };
}
