using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using Tollgate.Cli.Load;
using Tollgate.Client;
using Tollgate.Client.Contracts;

namespace Tollgate.Cli.Commands;

/// <summary>
/// <c>tollgate bench</c>: a load tool against a running server. It creates a funded tenant of its own, then sends
/// single events, reserve-then-settle pairs or batches from N concurrent clients, and reports throughput and
/// latency percentiles (p50, p90, p99, max) measured at the client, over real HTTP. <c>--mode gateway</c> measures the
/// metering gateway against a fake provider of its own (<see cref="GatewayBench"/>), <c>--mode api-compare</c> single events
/// and reservations against a bare endpoint of its own (<see cref="ApiCompare"/>).
/// </summary>
internal static class BenchCommand
{
    public enum Mode
    {
        Single,
        ReserveSettle,
        Batch,
        FloorCompare,
        Gateway,
        ApiCompare,
    }

    public static Command Create()
    {
        var api = new ApiOptions();
        var mode = ApiOptions.Choice<Mode>("--mode", "What to send (default single)");
        var requests = new Option<int>("--requests") { Description = "Requests to send (after a warm-up of a tenth as many)", DefaultValueFactory = _ => 5000 };
        var concurrency = new Option<int>("--concurrency") { Description = "Concurrent clients", DefaultValueFactory = _ => 1 };
        var batchSize = new Option<int>("--batch-size") { Description = "Events per batch request (batch mode)", DefaultValueFactory = _ => 1000 };
        var chunks = new Option<int>("--stream-chunks")
        {
            Description = "Text chunks in each streamed answer of the fake provider (gateway mode)",
            DefaultValueFactory = _ => BenchUpstream.DefaultChunks,
        };
        chunks.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 100_000)
            {
                result.AddError("--stream-chunks must be from 1 to 100000");
            }
        });
        var history = new Option<int>("--history-chars")
        {
            Description = "Characters of conversation sent before each gateway call's question, the same every call, as an agent does (gateway mode)",
            DefaultValueFactory = _ => 0,
        };
        history.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 0 or > 10_000_000)
            {
                result.AddError("--history-chars must be from 0 to 10000000");
            }
        });
        var floor = new FloorOptions();
        var command = new Command("bench", "Measure a running server: latency percentiles and throughput; or (floor-compare) Tollgate against the storage floor.") { mode, requests, concurrency, batchSize, chunks, history };
        api.AddTo(command);
        floor.AddTo(command);
        command.SetAction((parse, cancel) => ApiOptions.RunAsync(async () =>
        {
            if (parse.GetValue(mode) == Mode.Gateway)
            {
                // Its own server and fake provider; --concurrency adds a level to the standard 1 and 16 clients.
                var levels = new SortedSet<int> { 1, 16, Math.Max(1, parse.GetValue(concurrency)) };
                if (!await GatewayBench.RunAsync(parse.GetValue(requests), [.. levels], Console.Out, cancel, new GatewayBench.CallShape(parse.GetValue(chunks), parse.GetValue(history))))
                {
                    throw new InvalidOperationException("gateway calls failed or left credit held");
                }

                return;
            }

            if (parse.GetValue(mode) == Mode.ApiCompare)
            {
                // Its own server and bare endpoint, like the gateway mode.
                var levels = new SortedSet<int> { 1, 16, Math.Max(1, parse.GetValue(concurrency)) };
                if (!await ApiCompare.RunAsync(parse.GetValue(requests), [.. levels], Console.Out, cancel))
                {
                    throw new InvalidOperationException("requests failed or left credit held");
                }

                return;
            }

            if (parse.GetValue(mode) == Mode.FloorCompare)
            {
                if (!await FloorCompare.RunAsync(floor.Settings(parse), cancel))
                {
                    throw new InvalidOperationException("a replay's totals differ from the offline rating");
                }

                return;
            }

            var client = api.Client(parse);
            var m = parse.GetValue(mode) ?? Mode.Single;
            var n = parse.GetValue(requests);
            var c = Math.Max(1, parse.GetValue(concurrency));
            var size = parse.GetValue(batchSize);
            var tenant = $"bench-{Guid.NewGuid():N}"[..18];
            await client.CreateTenantAsync(new TenantRequest(tenant), cancel);
            await client.TopUpAsync(tenant, new TopUpRequest("bench", TopUpKind.Recharge, "credits", 1_000_000_000m), cancel);

            async Task<int> OneAsync(int i)
            {
                var id = $"{tenant}-{i}";
                switch (m)
                {
                    case Mode.Single:
                        await client.RecordAsync(BenchEvent.Llm(id, tenant), cancel);
                        return 1;
                    case Mode.ReserveSettle:
                        await client.ReserveAsync(tenant, new ReservationRequest(id, Amount: 1m, Unit: "credits"), cancel);
                        await client.SettleAsync(tenant, id, BenchEvent.Llm(id, tenant), cancel);
                        return 1;
                    default:
                        var result = await client.RecordBatchAsync([.. Enumerable.Range(0, size).Select(j => BenchEvent.Llm($"{id}-{j}", tenant))], cancel);
                        return result.Charged;
                }
            }

            // Warm-up: JIT, connection pools, SQLite page cache.
            await LoadStats.RunAsync(Math.Max(1, n / 10), c, i => OneAsync(-1 - i), cancel);
            var stats = new LoadStats(n);
            var clock = Stopwatch.StartNew();
            await AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }).Progress().StartAsync(async progress =>
            {
                var task = progress.AddTask($"{m} x {n}, {c} clients", maxValue: n);
                await LoadStats.RunAsync(n, c, async i =>
                {
                    var started = Stopwatch.GetTimestamp();
                    var charged = await OneAsync(i);
                    stats.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds, charged);
                    task.Increment(1);
                }, cancel);
            });
            Console.WriteLine(stats.Summary($"bench mode={m} requests={n} concurrency={c}{(m == Mode.Batch ? $" batch={size}" : "")}", clock.Elapsed.TotalSeconds));
        }));
        return command;
    }
}
