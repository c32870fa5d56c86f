using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using NodaTime;
using Tollgate.Core.Billing;
using Tollgate.Core.Calendar;
using Tollgate.Core.Money;
using Tollgate.Core.Tenants;
using Tollgate.Storage.Alerts;
using Tollgate.Storage.Ledger;
using Tollgate.Storage.Sql;
using Tollgate.Storage.Usage;

namespace Tollgate.Storage.Billing;

/// <summary>
/// Issues bills: one per tenant and closed billing cycle, in order, once the cycle ended <c>delay</c> ago (or on
/// demand). A bill takes the open bill lines of its cycle and of earlier cycles (late lines: events recorded after
/// their own cycle's bill) in the same transaction that stores it, so each line is on exactly one bill.
/// </summary>
/// <remarks>
/// A line that an event transaction adds to after a bill took it is a new open line (the unique index covers only
/// open lines), and the next bill takes it as late. Issued bills are stored whole (JSON) and never change.
/// </remarks>
public sealed class BillingStore(SqlDialect dialect, IClock clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Issues every bill that is due at the clock's time; returns them.</summary>
    public async Task<IReadOnlyList<Bill>> IssueDueAsync(Duration delay, CancellationToken cancel = default)
    {
        var now = clock.GetCurrentInstant();
        var issued = new List<Bill>();
        foreach (var tenant in await TenantsAsync(cancel))
        {
            issued.AddRange(await IssueWhileAsync(tenant, cycle => cycle.EndsAt + delay <= now, cancel));
        }

        return issued;
    }

    /// <summary>
    /// Issues, now, the bill of the cycle that starts on <paramref name="cycleStart"/> and any unissued bill before it.
    /// The cycle must have ended. Returns the bill (also when it had been issued before).
    /// </summary>
    public async Task<Bill> IssueThroughAsync(string tenantId, LocalDate cycleStart, CancellationToken cancel = default)
    {
        var tenant = (await TenantsAsync(cancel, tenantId)).SingleOrDefault()
            ?? throw new LedgerException(LedgerErrors.UnknownTenant, $"no tenant '{tenantId}'", "tenant");
        var period = tenant.Settings.Cycle;
        if (BillingCycle.First(cycleStart, period) != cycleStart)
        {
            throw new LedgerException(BillingErrors.NotACycle, $"{cycleStart:uuuu-MM-dd} does not start a {period.ToString().ToLowerInvariant()} cycle", "cycle");
        }

        var target = BillingCycle.Starting(cycleStart, tenant.Settings.TimeZone, period);
        if (target.EndsAt > clock.GetCurrentInstant())
        {
            throw new LedgerException(BillingErrors.CycleOpen, $"the cycle of {cycleStart:uuuu-MM-dd} has not ended; it ends at {target.EndsAt}", "cycle");
        }

        await IssueWhileAsync(tenant, cycle => cycle.Start <= target.Start, cancel);
        return await GetAsync(tenantId, BillId(target), cancel)
            ?? throw new LedgerException(BillingErrors.NotACycle, $"the cycle of {cycleStart:uuuu-MM-dd} is before the tenant's first cycle", "cycle");
    }

    public async Task<Bill?> GetAsync(string tenant, string billId, CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(cancel);
        var json = await connection.ExecuteScalarAsync<string?>(
            "SELECT document FROM bills WHERE tenant_id = @tenant AND bill_id = @billId", new { tenant, billId });
        return json is null ? null : JsonSerializer.Deserialize<Bill>(json, Json);
    }

    /// <summary>A tenant's bills, newest first.</summary>
    public async Task<IReadOnlyList<Bill>> ListAsync(string tenant, CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(cancel);
        var rows = await connection.QueryAsync<string>(
            "SELECT document FROM bills WHERE tenant_id = @tenant ORDER BY ends_at DESC", new { tenant });
        return [.. rows.Select(json => JsonSerializer.Deserialize<Bill>(json, Json)!)];
    }

    /// <summary>Sum of the charges on every issued bill of a tenant, per unit.</summary>
    public async Task<IReadOnlyDictionary<string, decimal>> BilledTotalsAsync(string tenant, CancellationToken cancel = default)
    {
        var totals = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var section in (await ListAsync(tenant, cancel)).SelectMany(b => b.Units))
        {
            totals[section.Unit] = totals.GetValueOrDefault(section.Unit) + section.Total;
        }

        return totals;
    }

    /// <param name="FirstOpen">The earliest cycle with usage not on a bill yet (usage recorded for days before the tenant was created).</param>
    private sealed record TenantCycles(TenantSettings Settings, long CreatedAt, long? LastEnd, string? FirstOpen);

    private async Task<List<TenantCycles>> TenantsAsync(CancellationToken cancel, string? only = null)
    {
        await using var connection = await dialect.OpenAsync(cancel);
        var rows = await connection.QueryAsync<(string Settings, long CreatedAt, long? LastEnd, string? FirstOpen)>(
            "SELECT t.settings, t.created_at, (SELECT MAX(b.ends_at) FROM bills b WHERE b.tenant_id = t.tenant_id), " +
            "(SELECT MIN(l.cycle) FROM bill_lines l WHERE l.tenant_id = t.tenant_id AND l.bill_id IS NULL) " +
            "FROM tenants t WHERE @only IS NULL OR t.tenant_id = @only ORDER BY t.tenant_id",
            new { only });
        return [.. rows.Select(r => new TenantCycles(TenantSettingsDocument.Parse(r.Settings), r.CreatedAt, r.LastEnd, r.FirstOpen))];
    }

    /// <summary>Issues the tenant's next cycles in order while <paramref name="due"/> holds.</summary>
    private async Task<List<Bill>> IssueWhileAsync(TenantCycles tenant, Func<BillingCycle, bool> due, CancellationToken cancel)
    {
        var settings = tenant.Settings;
        var cycle = BillingCycle.Of(Instant.FromUnixTimeMilliseconds(tenant.LastEnd ?? tenant.CreatedAt), settings.TimeZone, settings.Cycle);
        if (tenant.LastEnd is null && tenant.FirstOpen is { } open)
        {
            // The first bill starts with the earliest usage, also when it is dated before the tenant was created.
            var first = BillingCycle.Starting(
                BillingCycle.First(UsageRollup.ParseCycle(open), settings.Cycle), settings.TimeZone, settings.Cycle);
            cycle = first.Start < cycle.Start ? first : cycle;
        }

        var issued = new List<Bill>();
        while (due(cycle))
        {
            // A tenant catching up (usage dated years back, daily cycles) has a thousand bills due: a transaction
            // (and an fsync, and a turn of SQLite's one write lock) per chunk of cycles rather than per cycle.
            await using var connection = await dialect.OpenAsync(cancel);
            await using var tx = await dialect.BeginWriteAsync(connection, cancel);
            for (var n = 0; n < CyclesPerTransaction && due(cycle); n++)
            {
                if (await IssueAsync(connection, tx, settings, cycle) is { } bill)
                {
                    issued.Add(bill);
                }

                cycle = cycle.Next(settings.TimeZone);
            }

            await tx.CommitAsync(cancel);
        }

        return issued;
    }

    private const int CyclesPerTransaction = 100;

    /// <summary>Issues one cycle's bill in the transaction; null when it had already been issued (by another node, say).</summary>
    private async Task<Bill?> IssueAsync(DbConnection connection, DbTransaction tx, TenantSettings tenant, BillingCycle cycle)
    {
        var id = BillId(cycle);
        var now = clock.GetCurrentInstant();
        var claimed = await connection.ExecuteAsync(
            "INSERT INTO bills (tenant_id, bill_id, starts_at, ends_at, issued_at, document) VALUES (@tenant, @id, @starts, @ends, @now, '') " +
            "ON CONFLICT (tenant_id, bill_id) DO NOTHING",
            new { tenant = tenant.Id, id, starts = cycle.StartsAt.ToUnixTimeMilliseconds(), ends = cycle.EndsAt.ToUnixTimeMilliseconds(), now = now.ToUnixTimeMilliseconds() },
            tx);
        if (claimed == 0)
        {
            return null;
        }

        var sources = await TakeLinesAsync(connection, tx, tenant.Id, id, cycle.End);
        var zone = TenantCalendar.Zone(tenant.TimeZone);
        var header = new Bill(
            tenant.Id,
            id,
            cycle.Period.ToString().ToLowerInvariant(),
            cycle.Start.ToDateOnly(),
            cycle.End.ToDateOnly(),
            tenant.TimeZone,
            cycle.StartsAt.InZone(zone).ToDateTimeOffset(),
            cycle.EndsAt.InZone(zone).ToDateTimeOffset(),
            now.InZone(zone).ToDateTimeOffset(),
            [],
            []);
        var bill = BillBuilder.Build(header, sources);
        var document = JsonSerializer.Serialize(bill, Json);
        await connection.ExecuteAsync(
            "UPDATE bills SET document = @document WHERE tenant_id = @tenant AND bill_id = @id", new { document, tenant = tenant.Id, id }, tx);
        await AlertStore.RaiseAsync(connection, tx, tenant.Id, $"bill_issued:{id}", AlertKinds.BillIssued, new
        {
            bill_id = id,
            start = bill.Start,
            end = bill.End,
            totals = bill.Units.ToDictionary(u => u.Unit, u => u.Total.ToString(CultureInfo.InvariantCulture)),
        }, now);
        return bill;
    }

    /// <summary>Marks the tenant's open lines of cycles before <paramref name="end"/> as the bill's, and reads them.</summary>
    private static async Task<List<BillSource>> TakeLinesAsync(DbConnection connection, DbTransaction tx, string tenant, string billId, LocalDate end)
    {
        var rows = await connection.QueryAsync(
            "UPDATE bill_lines SET bill_id = @billId WHERE tenant_id = @tenant AND bill_id IS NULL AND cycle < @end " +
            "RETURNING cycle, type, model, channel, price_book, unit, item, events, quantity, amount, paid",
            new { billId, tenant, end = UsageRollup.CycleKey(end) },
            tx);
        return [.. rows.Select(r => (IDictionary<string, object>)r).Select(r => new BillSource(
            UsageRollup.ParseCycle((string)r["cycle"]).ToDateOnly(),
            (string)r["type"],
            (string)r["model"],
            (string)r["channel"],
            (string)r["price_book"],
            (string)r["unit"],
            (string)r["item"],
            Convert.ToInt64(r["events"], CultureInfo.InvariantCulture),
            Convert.ToDecimal(r["quantity"], CultureInfo.InvariantCulture) / UsageRollup.QuantityScale,
            LedgerAmount.FromUnits(Convert.ToDecimal(r["amount"], CultureInfo.InvariantCulture)),
            LedgerAmount.FromUnits(Convert.ToDecimal(r["paid"], CultureInfo.InvariantCulture))))];
    }

    /// <summary>A bill's id is its cycle: 2026-11-20 for a day, 2026-11 for a month.</summary>
    public static string BillId(BillingCycle cycle) =>
        cycle.Start.ToString(cycle.Period == BillingPeriod.Monthly ? "uuuu-MM" : "uuuu-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>Error codes of billing.</summary>
public static class BillingErrors
{
    public const string CycleOpen = "cycle_open";
    public const string NotACycle = "not_a_cycle";
}
