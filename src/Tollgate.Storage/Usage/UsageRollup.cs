using System.Data.Common;
using System.Globalization;
using NodaTime;
using NodaTime.Text;
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
/// Rows are written in key order: two transactions that touch the same rows lock them in the same order.
/// Quantities become whole 10^-6 units (<see cref="QuantityScale"/>); amounts are ledger units (10^-8).
/// </remarks>
internal sealed class UsageRollup : IDeferredWrite
{
    public const decimal QuantityScale = 1_000_000m;

    // What the transaction's events add up to per set of event dimensions: a batch of a thousand events has a few
    // hundred such sets, each expanded into its rollup rows and bill lines once, at the flush. Summing straight into the
    // rows allocated and hashed a dozen row keys per event (docs/benchmarks.md, fifth pass).
    private readonly Dictionary<EventKey, EventSums> sets = [];

    // The last cycle's key: a batch's events fall in one or two billing cycles.
    private (LocalDate Start, string Key)? lastCycle;

    /// <summary>Adds a charged event: its hour, its cycle's bill lines, its meters and who paid.</summary>
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
            result.Unit ?? charge.Unit);
        if (!sets.TryGetValue(key, out var sums))
        {
            sets[key] = sums = new EventSums();
        }

        sums.Events++;
        sums.Amount += LedgerAmount.ToUnits(result.Amount);
        foreach (var (meter, quantity) in Quantities(e, result))
        {
            sums.Quantities[meter] = sums.Quantities.GetValueOrDefault(meter) + Math.Round(quantity * QuantityScale, MidpointRounding.ToEven);
        }

        foreach (var payment in result.Payments ?? [])
        {
            var paid = sums.Payments.GetValueOrDefault((payment.Kind, payment.Unit));
            sums.Payments[(payment.Kind, payment.Unit)] = (paid.Covers + LedgerAmount.ToUnits(payment.Covers), paid.Amount + LedgerAmount.ToUnits(payment.Amount));
        }

        if (result.Uncollected > 0m)
        {
            sums.Uncollected += LedgerAmount.ToUnits(result.Uncollected);
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
                sets[key] = ours = new EventSums();
            }

            ours.Add(theirs);
        }
    }

    public Task FlushAsync(WriteScope scope) => FlushAsync(scope.Dialect, scope.Connection, scope.Transaction);

    public async Task FlushAsync(SqlDialect dialect, DbConnection connection, DbTransaction tx)
    {
        var (usage, subjects, subjectTotals, lines) = Rows();
        await Bulk.InsertAsync(dialect, connection, tx, "usage_rollups", HourColumns,
            [.. usage.OrderBy(u => u.Key).Select(u => new object?[] { u.Key.Tenant, u.Key.Time, u.Key.Type, u.Key.Model, u.Key.Channel, u.Key.KeyMode, u.Key.Unit, u.Key.Meter, u.Value.Events, dialect.Units(u.Value.Quantity), dialect.Units(u.Value.Amount) })],
            "ON CONFLICT (tenant_id, hour, type, model, channel, key_mode, unit, meter) DO UPDATE SET " +
            $"events = usage_rollups.events + excluded.events, quantity = {dialect.AddUnits("usage_rollups.quantity", "excluded.quantity")}, amount = {dialect.AddUnits("usage_rollups.amount", "excluded.amount")}");
        await Bulk.InsertAsync(dialect, connection, tx, "usage_subject_rollups", DayColumns,
            [.. subjects.OrderBy(u => u.Key).Select(u => new object?[] { u.Key.Tenant, u.Key.Time, u.Key.Subject, u.Key.Type, u.Key.Model, u.Key.Channel, u.Key.KeyMode, u.Key.Unit, u.Key.Meter, u.Value.Events, dialect.Units(u.Value.Quantity), dialect.Units(u.Value.Amount) })],
            "ON CONFLICT (tenant_id, day, subject, type, model, channel, key_mode, unit, meter) DO UPDATE SET " +
            $"events = usage_subject_rollups.events + excluded.events, quantity = {dialect.AddUnits("usage_subject_rollups.quantity", "excluded.quantity")}, amount = {dialect.AddUnits("usage_subject_rollups.amount", "excluded.amount")}");
        await Bulk.InsertAsync(dialect, connection, tx, "usage_subject_totals", TotalColumns,
            [.. subjectTotals.OrderBy(u => u.Key).Select(u => new object?[] { u.Key.Tenant, u.Key.Time, u.Key.Subject, u.Key.Unit, u.Key.Meter, u.Value.Events, dialect.Units(u.Value.Quantity), dialect.Units(u.Value.Amount) })],
            "ON CONFLICT (tenant_id, day, subject, unit, meter) DO UPDATE SET " +
            $"events = usage_subject_totals.events + excluded.events, quantity = {dialect.AddUnits("usage_subject_totals.quantity", "excluded.quantity")}, amount = {dialect.AddUnits("usage_subject_totals.amount", "excluded.amount")}");
        await Bulk.InsertAsync(dialect, connection, tx, "bill_lines", LineColumns,
            [.. lines.OrderBy(l => l.Key).Select(l => new object?[] { l.Key.Tenant, l.Key.Cycle, l.Key.Type, l.Key.Model, l.Key.Channel, l.Key.PriceBook, l.Key.Unit, l.Key.Item, l.Value.Events, dialect.Units(l.Value.Quantity), dialect.Units(l.Value.Amount), dialect.Units(l.Value.Paid) })],
            "ON CONFLICT (tenant_id, cycle, type, model, channel, price_book, unit, item) WHERE bill_id IS NULL DO UPDATE SET " +
            $"events = bill_lines.events + excluded.events, quantity = {dialect.AddUnits("bill_lines.quantity", "excluded.quantity")}, amount = {dialect.AddUnits("bill_lines.amount", "excluded.amount")}, " +
            $"paid = {dialect.AddUnits("bill_lines.paid", "excluded.paid")}");
        sets.Clear();
    }

    /// <summary>
    /// The rows of each table that the sets of event dimensions add to: per set, a row of its events and charge (meter
    /// '') and one per meter, by local hour, by end user and day, by end user alone; and its cycle's bill lines (events
    /// and charge, 'meter:' quantities, 'paid:' amounts per account kind and unit, and what nobody paid).
    /// </summary>
    private (Dictionary<UsageKey, Sums>, Dictionary<UsageKey, Sums>, Dictionary<UsageKey, Sums>, Dictionary<LineKey, Sums>) Rows()
    {
        var usage = new Dictionary<UsageKey, Sums>();
        var subjects = new Dictionary<UsageKey, Sums>();
        var subjectTotals = new Dictionary<UsageKey, Sums>();
        var lines = new Dictionary<LineKey, Sums>();
        foreach (var (k, s) in sets)
        {
            Sum(usage, new UsageKey(k.Tenant, k.Hour, string.Empty, k.Type, k.Model, k.Channel, k.KeyMode, k.Unit, string.Empty), events: s.Events, amount: s.Amount);
            Sum(subjects, new UsageKey(k.Tenant, k.Day, k.Subject, k.Type, k.Model, k.Channel, k.KeyMode, k.Unit, string.Empty), events: s.Events, amount: s.Amount);
            Sum(subjectTotals, SubjectTotal(k.Tenant, k.Day, k.Subject, k.Unit, string.Empty), events: s.Events, amount: s.Amount);
            Sum(lines, new LineKey(k.Tenant, k.Cycle, k.Type, k.Model, k.Channel, k.PriceBook, k.Unit, string.Empty), events: s.Events, amount: s.Amount);
            foreach (var (meter, quantity) in s.Quantities)
            {
                Sum(usage, new UsageKey(k.Tenant, k.Hour, string.Empty, k.Type, k.Model, k.Channel, k.KeyMode, k.Unit, meter), quantity: quantity);
                Sum(subjects, new UsageKey(k.Tenant, k.Day, k.Subject, k.Type, k.Model, k.Channel, k.KeyMode, k.Unit, meter), quantity: quantity);
                Sum(subjectTotals, SubjectTotal(k.Tenant, k.Day, k.Subject, k.Unit, meter), quantity: quantity);
                Sum(lines, new LineKey(k.Tenant, k.Cycle, k.Type, k.Model, k.Channel, k.PriceBook, k.Unit, "meter:" + meter), quantity: quantity);
            }

            foreach (var ((kind, unit), paid) in s.Payments)
            {
                Sum(lines, new LineKey(k.Tenant, k.Cycle, k.Type, k.Model, k.Channel, k.PriceBook, k.Unit, $"paid:{kind}:{unit}"), amount: paid.Covers, paid: paid.Amount);
            }

            // What nobody paid (a strict tenant's settle past its hold and balances) is listed like a payment kind.
            if (s.Uncollected > 0m)
            {
                Sum(lines, new LineKey(k.Tenant, k.Cycle, k.Type, k.Model, k.Channel, k.PriceBook, k.Unit, $"{Core.Billing.BillSource.PaidPrefix}{Core.Billing.BillSource.Uncollected}:{k.Unit}"),
                    amount: s.Uncollected, paid: s.Uncollected);
            }
        }

        return (usage, subjects, subjectTotals, lines);
    }

    /// <summary>The meters as measured; for an event that only sent content, the quantities its charge estimated.</summary>
    private static IEnumerable<KeyValuePair<string, decimal>> Quantities(UsageEvent e, RecordResult result) =>
        e.Usage.Count > 0
            ? e.Usage.Where(u => u.Value != 0m)
            : result.Charge!.Lines.GroupBy(l => l.Meter, StringComparer.Ordinal).Select(g => KeyValuePair.Create(g.Key, g.Sum(l => l.Quantity)));

    /// <summary>A row of the end user's day with the event dimensions left out (empty), as usage_subject_totals keys it.</summary>
    private static UsageKey SubjectTotal(string tenant, long day, string subject, string unit, string meter) =>
        new(tenant, day, subject, string.Empty, string.Empty, string.Empty, string.Empty, unit, meter);

    private static void Sum<TKey>(Dictionary<TKey, Sums> sums, TKey key, long events = 0, decimal quantity = 0m, decimal amount = 0m, decimal paid = 0m)
        where TKey : notnull
    {
        if (!sums.TryGetValue(key, out var s))
        {
            sums[key] = s = new Sums();
        }

        s.Events += events;
        s.Quantity += quantity;
        s.Amount += amount;
        s.Paid += paid;
    }


    private static readonly string[] HourColumns = ["tenant_id", "hour", "type", "model", "channel", "key_mode", "unit", "meter", "events", "quantity", "amount"];

    private static readonly string[] DayColumns = ["tenant_id", "day", "subject", "type", "model", "channel", "key_mode", "unit", "meter", "events", "quantity", "amount"];

    private static readonly string[] TotalColumns = ["tenant_id", "day", "subject", "unit", "meter", "events", "quantity", "amount"];

    private static readonly string[] LineColumns = ["tenant_id", "cycle", "type", "model", "channel", "price_book", "unit", "item", "events", "quantity", "amount", "paid"];

    /// <summary>An event's dimensions: what decides which rows and bill lines it adds to.</summary>
    private sealed record EventKey(string Tenant, long Hour, long Day, string Cycle, string Subject, string Type, string Model, string Channel, string KeyMode, string PriceBook, string Unit);

    private sealed class EventSums
    {
        public long Events;
        public decimal Amount;
        public decimal Uncollected;
        public readonly Dictionary<string, decimal> Quantities = new(StringComparer.Ordinal);
        public readonly Dictionary<(string Kind, string Unit), (decimal Covers, decimal Amount)> Payments = [];

        public void Add(EventSums other)
        {
            Events += other.Events;
            Amount += other.Amount;
            Uncollected += other.Uncollected;
            foreach (var (meter, quantity) in other.Quantities)
            {
                Quantities[meter] = Quantities.GetValueOrDefault(meter) + quantity;
            }

            foreach (var (payer, paid) in other.Payments)
            {
                var ours = Payments.GetValueOrDefault(payer);
                Payments[payer] = (ours.Covers + paid.Covers, ours.Amount + paid.Amount);
            }
        }
    }

    private sealed class Sums
    {
        public long Events;
        public decimal Quantity;
        public decimal Amount;
        public decimal Paid;
    }

    /// <summary>A rollup row's key: <see cref="Time"/> is the local hour or day; <see cref="Subject"/> only in the daily rows.</summary>
    // Rows are upserted in key order (ordinal, field by field), so that two nodes' transactions lock them in one order.
    // Keys are classes, not structs: a batch sums a thousand or more rows per table, and dictionary entries of nine
    // inline fields put each dictionary and its sorted copy on the large object heap, which set off a full background
    // collection about once a second (docs/benchmarks.md, "Pooled request bodies, small rollup entries").
    private sealed record UsageKey(string Tenant, long Time, string Subject, string Type, string Model, string Channel, string KeyMode, string Unit, string Meter) : IComparable<UsageKey>
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
            c = c != 0 ? c : string.CompareOrdinal(Unit, o.Unit);
            return c != 0 ? c : string.CompareOrdinal(Meter, o.Meter);
        }
    }

    private sealed record LineKey(string Tenant, string Cycle, string Type, string Model, string Channel, string PriceBook, string Unit, string Item) : IComparable<LineKey>
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
            c = c != 0 ? c : string.CompareOrdinal(Unit, o.Unit);
            return c != 0 ? c : string.CompareOrdinal(Item, o.Item);
        }
    }
}
