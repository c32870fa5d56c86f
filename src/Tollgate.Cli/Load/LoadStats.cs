using System.Collections.Concurrent;
using System.Globalization;

namespace Tollgate.Cli.Load;

/// <summary>Latencies and errors of a load run, and its summary line (throughput, p50, p90, p99, max).</summary>
internal sealed class LoadStats(int capacity)
{
    private readonly double[] latencies = new double[capacity];
    private readonly ConcurrentDictionary<string, int> errors = new(StringComparer.Ordinal);
    private int count;
    private long events;

    public int Count => Volatile.Read(ref count);

    public long Events => Interlocked.Read(ref events);

    public IReadOnlyDictionary<string, int> Errors => errors;

    public void Add(double milliseconds, long charged)
    {
        var i = Interlocked.Increment(ref count) - 1;
        if (i < latencies.Length)
        {
            latencies[i] = milliseconds;
        }

        Interlocked.Add(ref events, charged);
    }

    public void Error(string what) => errors.AddOrUpdate(what, 1, (_, n) => n + 1);

    public string Summary(string label, double seconds)
    {
        var sorted = latencies.AsSpan(0, Math.Min(Count, latencies.Length)).ToArray();
        Array.Sort(sorted);
        var errorText = errors.IsEmpty ? "0" : string.Join(",", errors.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}:{e.Value}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"{label} seconds={seconds:F2} requests/s={Count / seconds:F0} events/s={Events / seconds:F0} " +
            $"p50={P(sorted, 0.50):F3}ms p90={P(sorted, 0.90):F3}ms p99={P(sorted, 0.99):F3}ms max={(sorted.Length == 0 ? 0 : sorted[^1]):F3}ms errors={errorText}");
    }

    /// <summary>Runs <paramref name="n"/> jobs on <paramref name="concurrency"/> workers, each job once, in order of index.</summary>
    public static async Task RunAsync(int n, int concurrency, Func<int, Task> job, CancellationToken cancel)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, concurrency)).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < n && !cancel.IsCancellationRequested)
            {
                await job(i);
            }
        }));
    }

    /// <summary>A latency percentile of the calls so far (<paramref name="q"/> from 0 to 1), in milliseconds.</summary>
    public double Percentile(double q)
    {
        var sorted = latencies.AsSpan(0, Math.Min(Count, latencies.Length)).ToArray();
        Array.Sort(sorted);
        return P(sorted, q);
    }

    /// <summary>
    /// The calls per second <paramref name="concurrency"/> clients doing only these calls would complete: clients over the
    /// mean latency (Little's law), for calls measured interleaved with others.
    /// </summary>
    public double Throughput(int concurrency)
    {
        var n = Math.Min(Count, latencies.Length);
        return n == 0 ? 0 : concurrency * 1000.0 / latencies.AsSpan(0, n).ToArray().Average();
    }

    private static double P(double[] sorted, double q) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
}
