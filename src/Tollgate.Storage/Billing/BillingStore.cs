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
/// Issues bills: one per tenant and closed billing cycle with charges (a cycle without any gets no bill), in order,
/// once the cycle ended <c>delay</c> ago (or on demand). A bill takes the open bill lines of its cycle and of earlier
/// cycles (late lines: events recorded after their own cycle's bill) in the same transaction that stores it, so each
/// line is on exactly one bill.
/// </summary>
/// <remarks>
/// A line that an event transaction adds to after a bill took it is a new open line (the unique index covers only
/// open lines), and the next bill takes it as late. Issued bills are stored whole (JSON) and never change.
/// </remarks>
/// <param name="onIssued">Told of each bill this store issued, after it committed (the metrics count them).</param>
public sealed partial class BillingStore(SqlDialect dialect, IClock clock, Action<Bill>? onIssued = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Issues every bill that is due at the clock's time; returns them.</summary>
    public async Task<IReadOnlyList<Bill>> IssueDueAsync(Duration delay, CancellationToken cancel = default)
    {
        var now = clock.GetCurrentInstant();
        var issued = new List<Bill>();
        foreach (var tenant in await TenantsAsync(cancel))
        {
            // One query for every tenant: only a tenant whose next bill is due reads and writes more.
            if (NextCycle(tenant) is { } next && next.EndsAt + delay <= now)
            {
                issued.AddRange(await IssueWhileAsync(tenant.Settings.Id, cycle => cycle.EndsAt + delay <= now, cancel));
            }
        }

        return issued;
    }

    /// <summary>
    /// Issues, now, the bill of the cycle that starts on <paramref name="cycleStart"/> and any unissued bill before it.
    /// The cycle must have ended and have charges (a cycle without charges has no bill: <see cref="BillingErrors.CycleEmpty"/>).
    /// Returns the bill (also when it had been issued before).
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

        await IssueWhileAsync(tenantId, cycle => cycle.Start <= target.Start, cancel);
        return await GetAsync(tenantId, BillId(target), cancel)
            ?? throw new LedgerException(BillingErrors.CycleEmpty, $"the cycle of {cycleStart:uuuu-MM-dd} has no charges, so it has no bill", "cycle");
    }

    /// <param name="LastEnd">When the cycle of the tenant's last bill ended (unix ms); null before its first bill.</param>
    /// <param name="FirstOpen">The earliest cycle with charges not on a bill yet (also one before the tenant was created).</param>
    private sealed record TenantCycles(TenantSettings Settings, long? LastEnd, string? FirstOpen);

    private async Task<List<TenantCycles>> TenantsAsync(CancellationToken cancel, string? only = null)
    {
        await using var connection = await dialect.OpenAsync(cancel);
        var rows = await connection.QueryAsync<(string Settings, long? LastEnd, string? FirstOpen)>(
            "SELECT t.settings, (SELECT MAX(b.ends_at) FROM bills b WHERE b.tenant_id = t.tenant_id), " +
            "(SELECT MIN(l.cycle) FROM bill_lines l WHERE l.tenant_id = t.tenant_id AND l.bill_id IS NULL) " +
            "FROM tenants t WHERE @only IS NULL OR t.tenant_id = @only ORDER BY t.tenant_id",
            new { only });
        return [.. rows.Select(r => new TenantCycles(TenantSettingsDocument.Parse(r.Settings), r.LastEnd, r.FirstOpen))];
    }

    /// <summary>
    /// The cycle of the tenant's next bill: the first cycle with open lines (charges no bill has taken), and not before
    /// the cycle after its last bill (an open line of an earlier cycle is a late line of the next bill); null when
    /// nothing is open. Cycles without charges are skipped: they get no bill.
    /// </summary>
    private static BillingCycle? NextCycle(TenantCycles tenant)
    {
        if (tenant.FirstOpen is not { } open)
        {
            return null;
        }

        var settings = tenant.Settings;
        var first = BillingCycle.Starting(BillingCycle.First(UsageRollup.ParseCycle(open), settings.Cycle), settings.TimeZone, settings.Cycle);
        if (tenant.LastEnd is not { } lastEnd)
        {
            return first;
        }

        var afterLast = BillingCycle.Of(Instant.FromUnixTimeMilliseconds(lastEnd), settings.TimeZone, settings.Cycle);
        return first.Start > afterLast.Start ? first : afterLast;
    }

    /// <summary>Issues the tenant's next bills in order while <paramref name="due"/> holds for their cycles.</summary>
    private async Task<List<Bill>> IssueWhileAsync(string tenantId, Func<BillingCycle, bool> due, CancellationToken cancel)
    {
        var issued = new List<Bill>();
        BillingCycle? refused = null;

        // The tenant is read again after each bill: its lines are what decide the next cycle, and another node may be issuing too.
        while ((await TenantsAsync(cancel, tenantId)).SingleOrDefault() is { } tenant && NextCycle(tenant) is { } cycle && due(cycle))
        {
            if (await IssueAsync(tenant.Settings, cycle, cancel) is { } bill)
            {
                issued.Add(bill);
                refused = null;
            }
            else if (cycle == refused)
            {
                break;
            }
            else
            {
                refused = cycle;
            }
        }

        return issued;
    }

    /// <summary>
    /// Issues one cycle's bill; null when it had already been issued (by another node, say). In the writers' queue
    /// (SQLite: behind record batches, in memory, instead of polling the file's write lock).
    /// </summary>
    private Task<Bill?> IssueAsync(TenantSettings tenant, BillingCycle cycle, CancellationToken cancel) =>
        dialect.WithWriterAsync(connection => IssueAsync(connection, tenant, cycle, cancel), cancel);

    private async Task<Bill?> IssueAsync(DbConnection connection, TenantSettings tenant, BillingCycle cycle, CancellationToken cancel)
    {
        var id = BillId(cycle);
        var now = clock.GetCurrentInstant();
        await using var tx = await dialect.BeginWriteAsync(connection, cancel);
        var claimed = await connection.ExecuteAsync(
            "INSERT INTO bills (tenant_id, bill_id, starts_at, ends_at, issued_at, document) VALUES (@tenant, @id, @starts, @ends, @now, '') " +
            "ON CONFLICT (tenant_id, bill_id) DO NOTHING",
            new { tenant = tenant.Id, id, starts = cycle.StartsAt.ToUnixTimeMilliseconds(), ends = cycle.EndsAt.ToUnixTimeMilliseconds(), now = now.ToUnixTimeMilliseconds() },
            tx);
        if (claimed == 0)
        {
            await tx.RollbackAsync(cancel);
            return null;
        }

        // Bills stay in order and none is empty: another node may have issued a later bill, or taken these lines, meanwhile.
        var later = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM bills WHERE tenant_id = @tenant AND starts_at >= @ends", new { tenant = tenant.Id, ends = cycle.EndsAt.ToUnixTimeMilliseconds() }, tx);
        var sources = later == 0 ? await TakeLinesAsync(connection, tx, tenant.Id, id, cycle.End) : [];
        if (sources.Count == 0)
        {
            await tx.RollbackAsync(cancel);
            return null;
        }

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
        await tx.CommitAsync(cancel);
        onIssued?.Invoke(bill);
        return bill;
    }

    /// <summary>
    /// Marks the tenant's open lines of cycles before <paramref name="end"/> as the bill's, and reads them as the bill's
    /// sources: per line, its events and charge (item ''), a quantity per meter and what each kind of balance covered
    /// and paid (see <see cref="BillSource"/>).
    /// </summary>
    private static async Task<List<BillSource>> TakeLinesAsync(DbConnection connection, DbTransaction tx, string tenant, string billId, LocalDate end)
    {
        var rows = await connection.QueryAsync(
            "UPDATE bill_lines SET bill_id = @billId WHERE tenant_id = @tenant AND bill_id IS NULL AND cycle < @end " +
            "RETURNING cycle, type, model, channel, price_book, unit, events, amount, quantities, covers, paid",
            new { billId, tenant, end = UsageRollup.CycleKey(end) },
            tx);
        var sources = new List<BillSource>();
        foreach (var r in rows.Select(r => (IDictionary<string, object>)r))
        {
            var line = new BillSource(UsageRollup.ParseCycle((string)r["cycle"]).ToDateOnly(), (string)r["type"], (string)r["model"], (string)r["channel"], (string)r["price_book"], (string)r["unit"], string.Empty, 0, 0m, 0m, 0m);
            sources.Add(line with
            {
                Events = Convert.ToInt64(r["events"], CultureInfo.InvariantCulture),
                Amount = LedgerAmount.FromUnits(Convert.ToDecimal(r["amount"], CultureInfo.InvariantCulture)),
            });
            sources.AddRange(UnitsJson.Read((string)r["quantities"]).Select(q => line with { Item = BillSource.MeterPrefix + q.Key, Quantity = q.Value / UsageRollup.QuantityScale }));
            var paid = UnitsJson.Read((string)r["paid"]);
            sources.AddRange(UnitsJson.Read((string)r["covers"]).Select(c => line with
            {
                Item = BillSource.PaidPrefix + c.Key,
                Amount = LedgerAmount.FromUnits(c.Value),
                Paid = LedgerAmount.FromUnits(paid.GetValueOrDefault(c.Key)),
            }));
        }

        return sources;
    }

    /// <summary>A bill's id is its cycle: 2026-11-20 for a day, 2026-11 for a month.</summary>
    public static string BillId(BillingCycle cycle) =>
        cycle.Start.ToString(cycle.Period == BillingPeriod.Monthly ? "uuuu-MM" : "uuuu-MM-dd", CultureInfo.InvariantCulture);
}
