using System.Globalization;

namespace Tollgate.Cli.Load;

/// <summary>
/// What the comparing benchmarks share (<see cref="GatewayBench"/>, <see cref="ApiCompare"/>): two targets measured in
/// one run, each client alternating a call to one and a call to the other so that both see the same machine load, and
/// a temporary folder for the server they start.
/// </summary>
internal static class Interleaved
{
    /// <summary>
    /// Runs <paramref name="n"/> calls against each target on <paramref name="concurrency"/> clients; <paramref name="call"/>
    /// gets whether it is the first target's turn and the call's index, and returns an error name or null.
    /// </summary>
    public static async Task<(LoadStats First, LoadStats Second)> RunAsync(int n, int concurrency, Func<bool, int, Task<string?>> call, CancellationToken cancel)
    {
        var first = new LoadStats(n);
        var second = new LoadStats(n);
        await LoadStats.RunAsync(2 * n, concurrency, async i =>
        {
            var toFirst = i % 2 == 0;
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var error = await call(toFirst, i);
            var stats = toFirst ? first : second;
            stats.Add(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1);
            if (error is not null)
            {
                stats.Error(error);
            }
        }, cancel);
        return (first, second);
    }

    /// <summary>One target's figures as the comparing benchmarks print them: its calls, calls/s, p50, p99 and errors.</summary>
    public static string Figures(LoadStats stats, int concurrency) => string.Create(CultureInfo.InvariantCulture,
        $"requests={stats.Count} requests/s={stats.Throughput(concurrency):F0} p50={stats.Percentile(0.50):F3}ms p99={stats.Percentile(0.99):F3}ms errors={stats.Errors.Values.Sum()}");

    /// <summary>What the first target adds to the second's latency, at p50 and p99.</summary>
    public static string Added(LoadStats first, LoadStats second) => string.Create(CultureInfo.InvariantCulture,
        $"p50_added={first.Percentile(0.50) - second.Percentile(0.50):F3}ms p99_added={first.Percentile(0.99) - second.Percentile(0.99):F3}ms");

    /// <summary>Runs <paramref name="body"/> with a new temporary folder, deleted afterwards.</summary>
    public static async Task<T> InTempFolderAsync<T>(string prefix, Func<string, Task<T>> body)
    {
        var folder = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            return await body(folder);
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // The server's files may still be closing; the temp folder is the OS's to clean.
            }
        }
    }
}
