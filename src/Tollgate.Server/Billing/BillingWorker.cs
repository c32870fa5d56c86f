using Tollgate.Server.Alerts;
using Tollgate.Server.Hosting;
using Tollgate.Storage.Alerts;
using Tollgate.Storage.Billing;

namespace Tollgate.Server.Billing;

/// <summary>
/// In the background, every <see cref="ServerOptions.SweepInterval"/> on the injected clock: issues the bills that are
/// due (a closed cycle <see cref="ServerOptions.BillDelay"/> ago), checks balances for alerts, and sends webhook
/// deliveries that are due. Every node runs it; the stores make each bill, alert and attempt happen once.
/// </summary>
public sealed class BillingWorker(BillingStore bills, AlertMonitor monitor, WebhookDispatcher webhooks, ServerOptions options, ILogger<BillingWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.SweepInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RunAsync("issue bills", () => bills.IssueDueAsync(NodaTime.Duration.FromTimeSpan(options.BillDelay), stoppingToken), stoppingToken);
                await RunAsync("check balances", () => monitor.CheckAsync(stoppingToken), stoppingToken);
                await RunAsync("send webhooks", () => webhooks.DispatchDueAsync(stoppingToken), stoppingToken);
            }
        }
        finally
        {
            // Webhook attempts run in the background; they stop with the server and are not left touching the store.
            await webhooks.DrainAsync(TimeSpan.FromSeconds(5));
        }
    }

    private async Task RunAsync(string what, Func<Task> step, CancellationToken stoppingToken)
    {
        try
        {
            await step();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            log.LogWarning(ex, "could not {What}; trying again in {Interval}", what, options.SweepInterval);
        }
    }
}
