using System.Threading.Channels;
using Tollgate.Core.Events;
using Tollgate.Storage.Ledger;

namespace Tollgate.Server.Hosting;

/// <summary>
/// Group commit for single-event requests: events recorded concurrently by many requests are written together, in
/// one transaction (one fsync), and each request gets its own result once that transaction has committed. A lone
/// request is written at once; under load, each commit carries what arrived while the previous one was writing.
/// </summary>
public sealed class RecordQueue(LedgerStore store, ILogger<RecordQueue> log) : BackgroundService
{
    /// <summary>The most events one commit carries.</summary>
    public const int MaxGroup = 1000;

    private readonly Channel<(UsageEvent Event, TaskCompletionSource<RecordResult> Done)> queue =
        Channel.CreateUnbounded<(UsageEvent, TaskCompletionSource<RecordResult>)>(new UnboundedChannelOptions { SingleReader = true });

    private int depth;

    /// <summary>Events waiting for the next commit (a gauge of the metrics; a single-reader channel does not count).</summary>
    public int Depth => Volatile.Read(ref depth);

    /// <summary>Records one event with others waiting at the same moment; completes when its transaction has committed.</summary>
    public async Task<RecordResult> RecordAsync(UsageEvent e, CancellationToken cancel)
    {
        var done = new TaskCompletionSource<RecordResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Counted before it is queued, so the reader never takes it off the count first.
        Interlocked.Increment(ref depth);
        try
        {
            await queue.Writer.WriteAsync((e, done), cancel);
        }
        catch
        {
            Interlocked.Decrement(ref depth);
            throw;
        }

        // The request may be abandoned, but the event is still recorded (or not) exactly as if it had waited.
        return await done.Task.WaitAsync(cancel);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var group = new List<(UsageEvent Event, TaskCompletionSource<RecordResult> Done)>(MaxGroup);
        while (await queue.Reader.WaitToReadAsync(stoppingToken))
        {
            group.Clear();
            while (group.Count < MaxGroup && queue.Reader.TryRead(out var item))
            {
                group.Add(item);
            }

            Interlocked.Add(ref depth, -group.Count);

            try
            {
                var results = await store.RecordAsync([.. group.Select(g => g.Event)], CancellationToken.None);
                for (var i = 0; i < group.Count; i++)
                {
                    group[i].Done.SetResult(results[i]);
                }
            }
            catch (Exception ex)
            {
                // Nothing of the group was committed: every request gets the failure (503 when the store is down).
                log.LogDebug(ex, "a group of {Count} events failed", group.Count);
                foreach (var (_, done) in group)
                {
                    done.SetException(ex);
                }
            }
        }
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Writer.TryComplete();
        return base.StopAsync(cancellationToken);
    }
}
