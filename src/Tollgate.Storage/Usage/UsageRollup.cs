using System.Data.Common;
using System.Globalization;
using NodaTime;
using NodaTime.Text;
using Tollgate.Core.Billing;
using Tollgate.Core.Calendar;
using Tollgate.Core.Events;
using Tollgate.Core.Money;
using Tollgate.Core.Tenants;
using Tollgate.Storage.Ledger;
using Tollgate.Storage.Sql;

namespace Tollgate.Storage.Usage;

/// <summary>
/// The usage rollups (by local hour; by end user and local day, with every dimension and with the end user alone) and
/// open bill lines that a transaction's charged events add to, summed in memory first and written with one upsert per
/// row at the end of the transaction, so they commit (or not) with the events.
/// </summary>
/// <remarks>
/// A row holds its events, their charge and its meters' quantities (<see cref="UnitsJson"/>); a bill line also what each
/// kind of balance covered and paid. Rows are written in key order: two transactions that touch the same rows lock
/// them in the same order. Quantities become whole 10^-6 units (<see cref="QuantityScale"/>); amounts are ledger units
/// (10^-8).
/// </remarks>
internal sealed class UsageRollup : IDeferredWrite
{
    public const decimal QuantityScale = 1_000_000m;

    // What the transaction's events add up to per set of event dimensions: a batch of a thousand events has a few
    // hundred such sets, each added to its rollup rows and bill line once, at the flush. Summing straight into the
    // rows allocated and hashed a dozen row keys per event (docs/benchmarks.md, fifth pass).
    private readonly Dictionary<EventKey, Sums> sets = [];

    // The last cycle's key: a batch's events fall in one or two billing cycles.
    private (LocalDate Start, string Key)? lastCycle;

    /// <summary>Adds a charged event: its hour, its cycle's bill line, its meters and who paid.</summary>
    public void Add(TenantSettings tenant, UsageEvent e, RecordResult result)
    {
        if (result.Status != RecordResult.Charged || result.Charge is not { } charge)
        {
            return;
        }

        var zone = TenantCalendar.Zone(tenant.TimeZone);
        var cycleStart = BillingCycle.Of(e.Instant, tenant.TimeZone, tenant.Cycle).Start;
        if (lastCycle is not { } cycle || cycle.Start != cycleStart)
        {
            lastCycle = cycle = (cycleStart, CycleKey(cycleStart));
        }

        var unit = result.Unit ?? charge.Unit;
        var key = new EventKey(
            e.Tenant,
            TenantCalendar.HourStart(e.Instant, zone).ToUnixTimeMilliseconds(),
            TenantCalendar.DayStart(e.Instant, zone).ToUnixTimeMilliseconds(),
            cycle.Key,
            e.Subject ?? string.Empty,
            e.Type,
            e.Model,
            e.Channel,
            e.KeyMode,
            charge.PriceBook,
            unit);
        if (!sets.TryGetValue(key, out var sums))
        {
            sets[key] = sums = new Sums();
        }

        sums.Events++;
        sums.Amount += LedgerAmount.ToUnits(result.Amount);
        foreach (var (meter, quantity) in Quantities(e, result))
        {
            sums.Quantities[meter] = sums.Quantities.GetValueOrDefault(meter) + Math.Round(quantity * QuantityScale, MidpointRounding.ToEven);
        }

        foreach (var payment in result.Payments ?? [])
        {
            sums.AddPayment($"{payment.Kind}:{payment.Unit}", LedgerAmount.ToUnits(payment.Covers), LedgerAmount.ToUnits(payment.Amount));
        }

        // What nobody paid (a strict tenant's settle past its hold and balances) is listed like a payment kind.
        if (result.Uncollected > 0m)
        {
            var uncollected = LedgerAmount.ToUnits(result.Uncollected);
            sums.AddPayment($"{BillSource.Uncollected}:{unit}", uncollected, uncollected);
        }
    }

    /// <summary>How a bill line names its cycle: its first local date, yyyy-MM-dd (which sorts as the dates do).</summary>
    public static string CycleKey(LocalDate start) => start.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);

    public static LocalDate ParseCycle(string key) => LocalDatePattern.Iso.Parse(key).Value;

    public void Merge(IDeferredWrite other)
    {
        foreach (var (key, theirs) in ((UsageRollup)other).sets)
        {
            if (!sets.TryGetValue(key, out var ours))
            {
                sets[key] = ours = new Sums();
            }

            ours.Add(theirs, payments: true);
        }
    }

    public Task FlushAsync(WriteScope scope) => FlushAsync(scope.Dialect, scope.Connection, scope.Transaction);

    public async Task FlushAsync(SqlDialect dialect, DbConnection connection, DbTransaction tx)
    {
        var (usage, subjects, subjectTotals, lines) = Rows();
        var upserts = Upserts.For(dialect);
        await Bulk.InsertAsync(dialect, connection, tx, "usage_rollups", HourColumns,
            [.. usage.OrderBy(u => u.Key).Select(u => new object?[] { u.Key.Tenant, u.Key.Time, u.Key.Type, u.Key.Model, u.Key.Channel, u.Key.KeyMode, u.Key.Unit, u.Value.Events, dialect.Units(u.Value.Amount), UnitsJson.Write(u.Value.Quantities) })],
            upserts.Hours);
        await Bulk.InsertAsync(dialect, connection, tx, "usage_subject_rollups", DayColumns,
            [.. subjects.OrderBy(u => u.Key).Select(u => new object?[] { u.Key.Tenant, u.Key.Time, u.Key.Subject, u.Key.Type, u.Key.Model, u.Key.Channel, u.Key.KeyMode, u.Key.Unit, u.Value.Events, dialect.Units(u.Value.Amount), UnitsJson.Write(u.Value.Quantities) })],
            upserts.Subjects);
        await Bulk.InsertAsync(dialect, connection, tx, "usage_subject_totals", TotalColumns,
            [.. subjectTotals.OrderBy(u => u.Key).Select(u => new object?[] { u.Key.Tenant, u.Key.Time, u.Key.Subject, u.Key.Unit, u.Value.Events, dialect.Units(u.Value.Amount), UnitsJson.Write(u.Value.Quantities) })],
            upserts.Totals);
        await Bulk.InsertAsync(dialect, connection, tx, "bill_lines", LineColumns,
            [.. lines.OrderBy(l => l.Key).Select(l => new object?[] { l.Key.Tenant, l.Key.Cycle, l.Key.Type, l.Key.Model, l.Key.Channel, l.Key.PriceBook, l.Key.Unit, l.Value.Events, dialect.Units(l.Value.Amount), UnitsJson.Write(l.Value.Quantities), UnitsJson.Write(l.Value.Covers), UnitsJson.Write(l.Value.Paid) })],
            upserts.Lines);
        sets.Clear();
    }

    /// <summary>
    /// The ON CONFLICT clauses of the four upserts in a dialect's SQL: written once per dialect, not at every flush
    /// (building them was an eighth of what a transaction of one event allocated; docs/benchmarks.md, eleventh pass).
    /// </summary>
    private sealed record Upserts(string Hours, string Subjects, string Totals, string Lines)
    {
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SqlDialect, Upserts> ByDialect = [];

        public static Upserts For(SqlDialect dialect) => ByDialect.GetValue(dialect, static d => new(
            "ON CONFLICT (tenant_id, hour, type, model, channel, key_mode, unit) DO UPDATE SET " + Additions(d, "usage_rollups"),
            "ON CONFLICT (tenant_id, day, subject, type, model, channel, key_mode, unit) DO UPDATE SET " + Additions(d, "usage_subject_rollups"),
            "ON CONFLICT (tenant_id, day, subject, unit) DO UPDATE SET " + Additions(d, "usage_subject_totals"),
            "ON CONFLICT (tenant_id, cycle, type, model, channel, price_book, unit) WHERE bill_id IS NULL DO UPDATE SET " + Additions(d, "bill_lines") +
            $", covers = {d.MergeUnits("bill_lines.covers", "excluded.covers")}, paid = {d.MergeUnits("bill_lines.paid", "excluded.paid")}"));

        /// <summary>What an upsert adds to a row that is there: its events, charge and quantities.</summary>
        private static string Additions(SqlDialect dialect, string table) =>
            $"events = {table}.events + excluded.events, amount = {dialect.AddUnits($"{table}.amount", "excluded.amount")}, " +
            $"quantities = {dialect.MergeUnits($"{table}.quantities", "excluded.quantities")}";
    }

    /// <summary>
    /// The rows of each table that the sets of event dimensions add to: by local hour, by end user and day, by end user
    /// alone; and their cycle's bill lines (with what each kind of balance covered and paid).
    /// </summary>
    private (Dictionary<UsageKey, Sums>, Dictionary<UsageKey, Sums>, Dictionary<UsageKey, Sums>, Dictionary<LineKey, Sums>) Rows()
    {
        var usage = new Dictionary<UsageKey, Sums>();
        var subjects = new Dictionary<UsageKey, Sums>();
        var subjectTotals = new Dictionary<UsageKey, Sums>();
        var lines = new Dictionary<LineKey, Sums>();
        foreach (var (k, s) in sets)
        {
            Sum(usage, new UsageKey(k.Tenant, k.Hour, string.Empty, k.Type, k.Model, k.Channel, k.KeyMode, k.Unit), s, payments: false);
            Sum(subjects, new UsageKey(k.Tenant, k.Day, k.Subject, k.Type, k.Model, k.Channel, k.KeyMode, k.Unit), s, payments: false);
            Sum(subjectTotals, new UsageKey(k.Tenant, k.Day, k.Subject, string.Empty, string.Empty, string.Empty, string.Empty, k.Unit), s, payments: false);
            Sum(lines, new LineKey(k.Tenant, k.Cycle, k.Type, k.Model, k.Channel, k.PriceBook, k.Unit), s, payments: true);
        }

        return (usage, subjects, subjectTotals, lines);
    }

    /// <summary>The meters as measured; for an event that only sent content, the quantities its charge estimated.</summary>
    private static IEnumerable<KeyValuePair<string, decimal>> Quantities(UsageEvent e, RecordResult result) =>
        e.Usage.Count > 0
            ? e.Usage.Where(u => u.Value != 0m)
            : result.Charge!.Lines.GroupBy(l => l.Meter, StringComparer.Ordinal).Select(g => KeyValuePair.Create(g.Key, g.Sum(l => l.Quantity)));

    private static void Sum<TKey>(Dictionary<TKey, Sums> rows, TKey key, Sums set, bool payments)
        where TKey : notnull
    {
        if (!rows.TryGetValue(key, out var row))
        {
            rows[key] = row = new Sums();
        }

        row.Add(set, payments);
    }

    private static readonly string[] HourColumns = ["tenant_id", "hour", "type", "model", "channel", "key_mode", "unit", "events", "amount", "quantities"];

    private static readonly string[] DayColumns = ["tenant_id", "day", "subject", "type", "model", "channel", "key_mode", "unit", "events", "amount", "quantities"];

    private static readonly string[] TotalColumns = ["tenant_id", "day", "subject", "unit", "events", "amount", "quantities"];

    private static readonly string[] LineColumns = ["tenant_id", "cycle", "type", "model", "channel", "price_book", "unit", "events", "amount", "quantities", "covers", "paid"];

    /// <summary>An event's dimensions: what decides which rows and bill line it adds to.</summary>
    private sealed record EventKey(string Tenant, long Hour, long Day, string Cycle, string Subject, string Type, string Model, string Channel, string KeyMode, string PriceBook, string Unit);

    /// <summary>
    /// Events, their charge (units of the charge's unit) and meters' quantities; for bill lines also, per account kind
    /// and account unit (<c>kind:unit</c>), the charge it covered and what it paid in its own unit.
    /// </summary>
    private sealed class Sums
    {
        public long Events;
        public decimal Amount;
        public readonly Dictionary<string, decimal> Quantities = new(StringComparer.Ordinal);
        public readonly Dictionary<string, decimal> Covers = new(StringComparer.Ordinal);
        public readonly Dictionary<string, decimal> Paid = new(StringComparer.Ordinal);

        public void AddPayment(string payer, decimal covers, decimal paid)
        {
            Covers[payer] = Covers.GetValueOrDefault(payer) + covers;
            Paid[payer] = Paid.GetValueOrDefault(payer) + paid;
        }

        public void Add(Sums other, bool payments)
        {
            Events += other.Events;
            Amount += other.Amount;
            foreach (var (meter, quantity) in other.Quantities)
            {
                Quantities[meter] = Quantities.GetValueOrDefault(meter) + quantity;
            }

            if (payments)
            {
                foreach (var (payer, covers) in other.Covers)
                {
                    AddPayment(payer, covers, other.Paid[payer]);
                }
            }
        }
    }

    /// <summary>
    /// A rollup row's key: <see cref="Time"/> is the local hour or day; <see cref="Subject"/> only in the daily rows; the
    /// event dimensions are empty in the end user's totals.
    /// </summary>
    // Rows are upserted in key order (ordinal, field by field), so that two nodes' transactions lock them in one order.
    // Keys are classes, not structs: a batch sums hundreds of rows per table, and dictionary entries of eight
    // inline fields put each dictionary and its sorted copy on the large object heap, which set off a full background
    // collection about once a second (docs/benchmarks.md, "Pooled request bodies, small rollup entries").
    private sealed record UsageKey(string Tenant, long Time, string Subject, string Type, string Model, string Channel, string KeyMode, string Unit) : IComparable<UsageKey>
    {
        public int CompareTo(UsageKey? o)
        {
            if (o is null)
            {
                return 1;
            }

            var c = string.CompareOrdinal(Tenant, o.Tenant);
            c = c != 0 ? c : Time.CompareTo(o.Time);
            c = c != 0 ? c : string.CompareOrdinal(Subject, o.Subject);
            c = c != 0 ? c : string.CompareOrdinal(Type, o.Type);
            c = c != 0 ? c : string.CompareOrdinal(Model, o.Model);
            c = c != 0 ? c : string.CompareOrdinal(Channel, o.Channel);
            c = c != 0 ? c : string.CompareOrdinal(KeyMode, o.KeyMode);
            return c != 0 ? c : string.CompareOrdinal(Unit, o.Unit);
        }
    }

    private sealed record LineKey(string Tenant, string Cycle, string Type, string Model, string Channel, string PriceBook, string Unit) : IComparable<LineKey>
    {
        public int CompareTo(LineKey? o)
        {
            if (o is null)
            {
                return 1;
            }

            var c = string.CompareOrdinal(Tenant, o.Tenant);
            c = c != 0 ? c : string.CompareOrdinal(Cycle, o.Cycle);
            c = c != 0 ? c : string.CompareOrdinal(Type, o.Type);
            c = c != 0 ? c : string.CompareOrdinal(Model, o.Model);
            c = c != 0 ? c : string.CompareOrdinal(Channel, o.Channel);
            c = c != 0 ? c : string.CompareOrdinal(PriceBook, o.PriceBook);
            return c != 0 ? c : string.CompareOrdinal(Unit, o.Unit);
        }
    }
}
