using Prometheus;
using Tollgate.Storage.Ledger;

namespace Tollgate.Server.Hosting;

/// <summary>
/// The server's Prometheus metrics, served at /metrics beside the HTTP request histograms of prometheus-net:
/// events recorded (charged, rejected by code, duplicates) and balance operations by kind.
/// </summary>
public sealed class TollgateMetrics
{
    private readonly Counter events;
    private readonly Counter operations;
    private readonly Counter uncollected;

    public TollgateMetrics()
    {
        events = Metrics.CreateCounter("tollgate_events_total", "Usage events recorded, by outcome.", "status", "code");
        operations = Metrics.CreateCounter("tollgate_balance_operations_total", "Balance operations: top-ups, grants, adjustments, reservations, settles, releases.", "operation");
        uncollected = Metrics.CreateCounter("tollgate_uncollected_total", "Charges of strict tenants that their holds and balances did not cover, by unit (an indicator, not the books).", "unit");
    }

    public void Recorded(RecordResult result)
    {
        var status = result.Duplicate ? "duplicate" : result.Status;
        events.WithLabels(status, result.Error?.Code ?? string.Empty).Inc();
        if (result.Uncollected > 0m && !result.Duplicate)
        {
            uncollected.WithLabels(result.Unit ?? string.Empty).Inc((double)result.Uncollected);
        }
    }

    public void BalanceOperation(string operation) => operations.WithLabels(operation).Inc();
}
