using Tollgate.Storage.Catalogs;
using Tollgate.Storage.Ledger;

namespace Tollgate.Server.Hosting;

/// <summary>
/// In the background, every <see cref="ServerOptions.SweepInterval"/>: releases expired reservations, expires bonus
/// and pack balances, and re-reads price books (versions added through another node).
/// </summary>
public sealed class Sweeper(LedgerStore store, PriceBookRegistry registry, ServerOptions options, ILogger<Sweeper> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.SweepInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await store.SweepAsync(stoppingToken);
                await registry.LoadAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning(ex, "sweep failed; trying again in {Interval}", options.SweepInterval);
            }
        }
    }
}
