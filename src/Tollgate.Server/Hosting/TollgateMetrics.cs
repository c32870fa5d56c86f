using Prometheus;
using Tollgate.Core.Events;
using Tollgate.Storage.Catalogs;
using Tollgate.Storage.Ledger;

namespace Tollgate.Server.Hosting;

/// <summary>
/// The server's Prometheus metrics, served at /metrics beside prometheus-net's HTTP and .NET series: events by outcome,
/// spend, arrears and uncollected amounts, record and settle latency, holds outstanding, bills issued, webhook
/// deliveries and the group-commit queue. docs/grafana/tollgate.json charts them.
/// </summary>
/// <remarks>
/// Labels are bounded: never a tenant, event or hold id; a model is the price book item that priced it (so a pattern
/// item does not add a series per model name) and "other" when none did. Amounts are summed exactly in decimal and
/// exposed as the nearest double. Each server has its own registry, so servers in one process do not mix figures.
/// </remarks>
public sealed class TollgateMetrics
{
    public const string Other = "other";

    private static readonly double[] LatencyBuckets = Histogram.ExponentialBuckets(0.0005, 2, 14);

    private readonly PriceBookRegistry books;
    private readonly Counter events;
    private readonly Counter operations;
    private readonly DecimalCounter spend;
    private readonly DecimalCounter arrears;
    private readonly DecimalCounter uncollected;
    private readonly Histogram recordLatency;
    private readonly Histogram settleLatency;
    private readonly Counter bills;
    private readonly Counter deliveries;

    public TollgateMetrics(PriceBookRegistry books, LedgerStore store, RecordQueue queue, ILogger<TollgateMetrics> log)
    {
        this.books = books;
        Registry = Metrics.NewCustomRegistry();
        DotNetStats.Register(Registry);
        var f = Metrics.WithCustomRegistry(Registry);
        events = f.CreateCounter("tollgate_events_total", "Usage events recorded, by outcome: charged, rejected (with its code), duplicate.", "status", "code");
        operations = f.CreateCounter("tollgate_balance_operations_total", "Balance operations: top-ups, grants, adjustments, reservations, settles, releases.", "operation");
        spend = new(f.CreateCounter("tollgate_spend_total", "Charges of recorded events, in their unit, by billing type and price book item.", "unit", "type", "model"));
        arrears = new(f.CreateCounter("tollgate_arrears_total", "The part of charges no balance could pay (owed until the next top-up), by unit.", "unit"));
        uncollected = new(f.CreateCounter("tollgate_uncollected_total", "Charges of strict tenants that their holds and balances did not cover, by unit (an indicator, not the books).", "unit"));
        recordLatency = f.CreateHistogram("tollgate_record_duration_seconds", "Time to record events durably: one event (group commit) or a batch.", new HistogramConfiguration { LabelNames = ["path"], Buckets = LatencyBuckets });
        settleLatency = f.CreateHistogram("tollgate_settle_duration_seconds", "Time to settle a reservation durably.", new HistogramConfiguration { Buckets = LatencyBuckets });
        bills = f.CreateCounter("tollgate_bills_issued_total", "Bills issued, by billing period.", "period");
        deliveries = f.CreateCounter("tollgate_webhook_deliveries_total", "Webhook delivery attempts, by outcome: delivered (2xx), refused (another status), unreachable.", "outcome");
        var held = f.CreateGauge("tollgate_holds_outstanding", "Reservations held now (neither settled, released nor expired), over every tenant, by unit.", "unit");
        var depth = f.CreateGauge("tollgate_record_queue_depth", "Single events and events of small batches waiting for the next group commit.");
        var writeDepth = f.CreateGauge("tollgate_write_queue_depth", "Holds, settlements and releases (and the gateway's counters) waiting for the next group commit.");
        var recordCommits = f.CreateCounter("tollgate_record_commits_total", "Transactions the group commit of single events and small batches has committed (each carries one or more requests).");
        var recordGrouped = f.CreateCounter("tollgate_record_grouped_events_total", "Events those transactions carried: divided by tollgate_record_commits_total, how many events a commit shares.");
        var writeCommits = f.CreateCounter("tollgate_write_commits_total", "Transactions the group commit of holds, settlements and releases has committed (each carries one or more).");
        var allocated = f.CreateCounter("dotnet_gc_allocated_bytes_total", "Bytes the process has allocated on the managed heap (GC.GetTotalAllocatedBytes): divided by events recorded, what an event costs the collector.");
        var paused = f.CreateCounter("dotnet_gc_pause_seconds_total", "Time the process has spent paused by garbage collections (GC.GetTotalPauseDuration).");
        Registry.AddBeforeCollectCallback(async cancel =>
        {
            depth.Set(queue.Depth);
            writeDepth.Set(store.Writes.Depth);
            writeCommits.IncTo(store.Writes.Commits);
            recordCommits.IncTo(queue.Commits);
            recordGrouped.IncTo(queue.Events);
            allocated.IncTo(GC.GetTotalAllocatedBytes());
            paused.IncTo(GC.GetTotalPauseDuration().TotalSeconds);
            try
            {
                var counts = await store.HeldCountsAsync(cancel);
                foreach (var unit in held.GetAllLabelValues().Select(l => l[0]).Except(counts.Keys).ToList())
                {
                    held.WithLabels(unit).Set(0);
                }

                foreach (var (unit, count) in counts)
                {
                    held.WithLabels(unit).Set(count);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The store is down: the scrape still answers, with the last known figure.
                log.LogDebug(ex, "could not count the outstanding holds");
            }
        });
    }

    /// <summary>What /metrics serves.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>An event's outcome, and for a new charge its spend and arrears.</summary>
    public void Recorded(UsageEvent e, RecordResult result)
    {
        var status = result.Duplicate ? "duplicate" : result.Status;
        events.WithLabels(status, result.Error?.Code ?? string.Empty).Inc();
        if (result.Duplicate || result.Status != RecordResult.Charged || result.Charge is not { } charge)
        {
            return;
        }

        var unit = result.Unit ?? charge.Unit;
        var item = books.Find(charge.PriceBookId)?.Versions.FirstOrDefault(v => v.Version == charge.PriceBookVersion)?.Find(e.Type, e.Model);
        spend.Add(result.Amount, unit, item is null ? Other : e.Type, item?.QualifiedName ?? Other);
        if (result.Arrears != 0m)
        {
            arrears.Add(result.Arrears, unit);
        }

        Uncollected(unit, result.Uncollected);
    }

    /// <summary>What a settle charged beyond its hold and a strict tenant's balances: nobody pays it.</summary>
    public void Uncollected(string unit, decimal amount) => uncollected.Add(amount, unit);

    public void BalanceOperation(string operation) => operations.WithLabels(operation).Inc();

    /// <summary>Times a durable record: <paramref name="path"/> is "single" (group commit) or "batch".</summary>
    public IDisposable TimeRecord(string path) => recordLatency.WithLabels(path).NewTimer();

    public IDisposable TimeSettle() => settleLatency.NewTimer();

    public void BillIssued(Core.Billing.Bill bill) => bills.WithLabels(bill.Period).Inc();

    /// <summary>A webhook attempt's outcome from its HTTP status (null: no answer).</summary>
    public void Delivery(int? status) =>
        deliveries.WithLabels(status switch { null => "unreachable", >= 200 and < 300 => "delivered", _ => "refused" }).Inc();
}
