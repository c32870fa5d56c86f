using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Tollgate.Client;
using Tollgate.Client.Contracts;

namespace Tollgate.Cli.Commands;

/// <summary>
/// <c>tollgate bench</c>: a load tool against a running server. It creates a funded tenant of its own, then sends
/// single events, reserve-then-settle pairs or batches from N concurrent clients, and reports throughput and
/// latency percentiles (p50, p90, p99, max) measured at the client, over real HTTP.
/// </summary>
internal static class BenchCommand
{
    public enum Mode
    {
        Single,
        ReserveSettle,
        Batch,
    }

    public static Command Create()
    {
        var api = new ApiOptions();
        var mode = ApiOptions.Choice<Mode>("--mode", "What to send (default single)");
        var requests = new Option<int>("--requests") { Description = "Requests to send (after a warm-up of a tenth as many)", DefaultValueFactory = _ => 5000 };
        var concurrency = new Option<int>("--concurrency") { Description = "Concurrent clients", DefaultValueFactory = _ => 1 };
        var batchSize = new Option<int>("--batch-size") { Description = "Events per batch request (batch mode)", DefaultValueFactory = _ => 1000 };
        var command = new Command("bench", "Measure a running server: latency percentiles and throughput.") { mode, requests, concurrency, batchSize };
        api.AddTo(command);
        command.SetAction((parse, cancel) => ApiOptions.RunAsync(async () =>
        {
            var client = api.Client(parse);
            var m = parse.GetValue(mode) ?? Mode.Single;
            var n = parse.GetValue(requests);
            var c = Math.Max(1, parse.GetValue(concurrency));
            var size = parse.GetValue(batchSize);
            var tenant = $"bench-{Guid.NewGuid():N}"[..18];
            await client.CreateTenantAsync(new TenantRequest(tenant), cancel);
            await client.TopUpAsync(tenant, new TopUpRequest("bench", TopUpKind.Recharge, "credits", 1_000_000_000m), cancel);

            var counter = 0;
            async Task<int> OneAsync(int i)
            {
                var id = $"{tenant}-{i}";
                switch (m)
                {
                    case Mode.Single:
                        await client.RecordAsync(Event(id, tenant), cancel);
                        return 1;
                    case Mode.ReserveSettle:
                        await client.ReserveAsync(tenant, new ReservationRequest(id, Amount: 1m, Unit: "credits"), cancel);
                        await client.SettleAsync(tenant, id, Event(id, tenant), cancel);
                        return 1;
                    default:
                        var result = await client.RecordBatchAsync([.. Enumerable.Range(0, size).Select(j => Event($"{id}-{j}", tenant))], cancel);
                        return result.Charged;
                }
            }

            // Warm-up: JIT, connection pools, SQLite page cache.
            await RunAsync(Math.Max(1, n / 10), c, i => OneAsync(-1 - i), cancel);
            var latencies = new double[n];
            var events = 0L;
            var clock = Stopwatch.StartNew();
            await AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }).Progress().StartAsync(async progress =>
            {
                var task = progress.AddTask($"{m} x {n}, {c} clients", maxValue: n);
                await RunAsync(n, c, async i =>
                {
                    var started = Stopwatch.GetTimestamp();
                    var charged = await OneAsync(i);
                    latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    Interlocked.Add(ref events, charged);
                    if (Interlocked.Increment(ref counter) % 100 == 0)
                    {
                        task.Value = counter;
                    }

                    return charged;
                }, cancel);
                task.Value = n;
            });
            var seconds = clock.Elapsed.TotalSeconds;
            Array.Sort(latencies);
            var unit = m == Mode.ReserveSettle ? "pairs" : "requests";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"mode={m} requests={n} concurrency={c}{(m == Mode.Batch ? $" batch={size}" : "")} seconds={seconds:F2} {unit}/s={n / seconds:F0} events/s={events / seconds:F0} " +
                $"p50={P(latencies, 0.50):F3}ms p90={P(latencies, 0.90):F3}ms p99={P(latencies, 0.99):F3}ms max={latencies[^1]:F3}ms"));
        }));
        return command;
    }

    private static async Task RunAsync(int n, int concurrency, Func<int, Task<int>> one, CancellationToken cancel)
    {
        var next = -1;
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < n && !cancel.IsCancellationRequested)
            {
                await one(i);
            }
        });
        await Task.WhenAll(workers);
    }

    private static UsageEvent Event(string id, string tenant) =>
        new(id, tenant, DateTimeOffset.UtcNow, "llm_text", "GPT-4o-mini-128k", new Dictionary<string, decimal> { ["input_tokens"] = 1200, ["output_tokens"] = 300 });

    private static double P(double[] sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
}
