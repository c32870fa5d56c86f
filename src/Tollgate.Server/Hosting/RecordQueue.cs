using System.Threading.Channels;
using Tollgate.Core.Events;
using Tollgate.Storage.Ledger;

namespace Tollgate.Server.Hosting;

/// <summary>
/// Group commit for single events and small batches: what many requests record concurrently is written together, in
/// one transaction (one fsync), and each request gets its own results once that transaction has committed. A lone
/// request is written at once; under load, each commit carries what arrived while the previous one was writing.
/// </summary>
/// <remarks>
/// A batch stays whole: its events go in one transaction, with those of other requests or alone, so it is recorded all
/// together or not at all, as a batch is. An id sent twice across the requests of a group is answered as a repeat, as
/// it would be in two transactions one after the other. Batches larger than <see cref="MaxShared"/> are written by
/// their own request (<see cref="Shares"/>): they fill a commit by themselves, and their rating and serialising then
/// run in parallel rather than one group after another.
/// </remarks>
public sealed class RecordQueue(LedgerStore store, ILogger<RecordQueue> log) : BackgroundService
{
    /// <summary>The most events one commit carries (a batch larger than what is left waits for the next one).</summary>
    public const int MaxGroup = 1000;

    /// <summary>The largest batch that shares its commit with other requests.</summary>
    public const int MaxShared = 100;

    private readonly Channel<Request> queue = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });

    private Request? waiting;
    private long commits;
    private long written;
    private int depth;

    /// <summary>Transactions committed so far, each carrying one or more requests (a counter of the metrics).</summary>
    public long Commits => Interlocked.Read(ref commits);

    /// <summary>Events those transactions carried: divided by <see cref="Commits"/>, how many a commit shares.</summary>
    public long Events => Interlocked.Read(ref written);

    /// <summary>Events waiting for the next commit (a gauge of the metrics; a single-reader channel does not count).</summary>
    public int Depth => Volatile.Read(ref depth);

    /// <summary>Whether a batch of <paramref name="count"/> events goes through the queue rather than its own transaction.</summary>
    public static bool Shares(int count) => count <= MaxShared;

    /// <summary>Records one event with others waiting at the same moment; completes when its transaction has committed.</summary>
    public async Task<RecordResult> RecordAsync(UsageEvent e, CancellationToken cancel) => (await RecordAsync([e], cancel))[0];

    /// <summary>
    /// Records a batch (at most <see cref="MaxShared"/> events) in one transaction, with others waiting at the same moment;
    /// a result per event, in order, once that transaction has committed.
    /// </summary>
    public async Task<IReadOnlyList<RecordResult>> RecordAsync(IReadOnlyList<UsageEvent> events, CancellationToken cancel)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(events.Count, MaxShared, nameof(events));
        var request = new Request(events, new TaskCompletionSource<IReadOnlyList<RecordResult>>(TaskCreationOptions.RunContinuationsAsynchronously));
        // Counted before it is queued, so the reader never takes it off the count first.
        Interlocked.Add(ref depth, events.Count);
        try
        {
            await queue.Writer.WriteAsync(request, cancel);
        }
        catch
        {
            Interlocked.Add(ref depth, -events.Count);
            throw;
        }

        // The request may be abandoned, but its events are still recorded (or not) exactly as if it had waited.
        return await request.Done.Task.WaitAsync(cancel);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var group = new List<Request>();
        var events = new List<UsageEvent>(MaxGroup);
        while (waiting is not null || await queue.Reader.WaitToReadAsync(stoppingToken))
        {
            group.Clear();
            events.Clear();
            while (TakeFitting(events.Count) is { } request)
            {
                group.Add(request);
                events.AddRange(request.Events);
            }

            Interlocked.Add(ref depth, -events.Count);

            try
            {
                var results = await store.RecordAsync([.. events], CancellationToken.None);
                Interlocked.Increment(ref commits);
                Interlocked.Add(ref written, events.Count);
                var start = 0;
                foreach (var request in group)
                {
                    request.Done.SetResult(results.Skip(start).Take(request.Events.Count).ToList());
                    start += request.Events.Count;
                }
            }
            catch (Exception ex)
            {
                // Nothing of the group was committed: every request gets the failure (503 when the store is down).
                log.LogDebug(ex, "a group of {Count} events failed", events.Count);
                foreach (var request in group)
                {
                    request.Done.SetException(ex);
                }
            }
        }
    }

    /// <summary>The next request if it fits beside <paramref name="taken"/> events; one that does not waits for the next group.</summary>
    private Request? TakeFitting(int taken)
    {
        if (waiting is null && !queue.Reader.TryRead(out waiting))
        {
            return null;
        }

        if (taken > 0 && taken + waiting.Events.Count > MaxGroup)
        {
            return null;
        }

        var next = waiting;
        waiting = null;
        return next;
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Writer.TryComplete();
        return base.StopAsync(cancellationToken);
    }

    private sealed record Request(IReadOnlyList<UsageEvent> Events, TaskCompletionSource<IReadOnlyList<RecordResult>> Done);
}
