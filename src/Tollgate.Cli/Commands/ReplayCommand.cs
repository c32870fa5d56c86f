using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using NodaTime;
using Spectre.Console;
using Tollgate.Cli.Load;
using Tollgate.Client;
using Tollgate.Client.Contracts;
using Tollgate.Core.Catalogs;
using Tollgate.Core.Events;
using Tollgate.Core.Money;
using Tollgate.Core.Rating;
using UsageEvent = Tollgate.Client.Contracts.UsageEvent;

namespace Tollgate.Cli.Commands;

/// <summary>
/// <c>tollgate replay</c>: replays the Azure LLM inference trace against a running server, as single events,
/// batches or reserve-then-settle pairs, from N clients, as fast as possible or at the trace's pace (scaled);
/// optionally with duplicates and shuffling. Every request that fails without an answer (connection refused,
/// 5xx) is retried with the same ids until it is acknowledged. At the end the server's balances are checked
/// against an offline rating of the same events, to the last unit.
/// </summary>
internal static class ReplayCommand
{
    public enum Mode
    {
        Single,
        Batch,
        ReserveSettle,
    }

    public static Command Create()
    {
        var api = new ApiOptions();
        var trace = new Option<string>("--trace") { Description = "The trace folder or one CSV file (default: the committed traces/azure-llm-inference-2023)", DefaultValueFactory = _ => AzureTrace.DefaultPath() };
        var mode = ApiOptions.Choice<Mode>("--mode", "How events are sent (default batch)");
        var batchSize = new Option<int>("--batch-size") { Description = "Events per batch request", DefaultValueFactory = _ => 500 };
        var concurrency = new Option<int>("--concurrency") { Description = "Concurrent clients", DefaultValueFactory = _ => 4 };
        var seed = new Option<int>("--seed") { Description = "Seed of the tenant, model and channel assignment, duplicates and shuffling", DefaultValueFactory = _ => 1 };
        var tenants = new Option<int>("--tenants") { Description = "Tenants the calls are spread over (1: one hot account)", DefaultValueFactory = _ => 10 };
        var run = new Option<string?>("--run") { Description = "Prefix of tenant and event ids (default replay-{seed}); the same run replayed again records nothing new" };
        var repeat = new Option<int>("--repeat") { Description = "Times the trace is replayed, each time with new ids and later times", DefaultValueFactory = _ => 1 };
        var limit = new Option<int?>("--limit") { Description = "Only the first N calls of the trace" };
        var pace = new Option<string>("--pace") { Description = "asap, trace (real time) or a speed-up factor such as 60", DefaultValueFactory = _ => "asap" };
        var duplicates = new Option<double>("--duplicates") { Description = "Fraction of requests sent a second time (0 to 1)" };
        var shuffle = new Option<bool>("--shuffle") { Description = "Send in a random order instead of the trace's" };
        var check = new Option<bool>("--check") { Description = "Compare the server's balances with an offline rating at the end", DefaultValueFactory = _ => true };
        var command = new Command("replay", "Replay real LLM traffic against a running server and check its totals.")
        {
            trace, mode, batchSize, concurrency, seed, tenants, run, repeat, limit, pace, duplicates, shuffle, check,
        };
        api.AddTo(command);
        command.SetAction((parse, cancel) => ApiOptions.RunAsync(async () =>
        {
            var options = new Options(
                parse.GetValue(mode) ?? Mode.Batch, Math.Clamp(parse.GetValue(batchSize), 1, 100_000), Math.Max(1, parse.GetValue(concurrency)),
                parse.GetValue(seed), Math.Max(1, parse.GetValue(tenants)), parse.GetValue(run) ?? $"replay-{parse.GetValue(seed)}",
                Math.Max(1, parse.GetValue(repeat)), parse.GetValue(limit), Speed(parse.GetValue(pace)!), Math.Clamp(parse.GetValue(duplicates), 0, 1),
                parse.GetValue(shuffle), parse.GetValue(check));
            var ok = await RunAsync(api.Client(parse), AzureTrace.Read(parse.GetValue(trace)!), options, cancel);
            if (!ok)
            {
                throw new InvalidOperationException("the server's totals differ from the offline rating");
            }
        }));
        return command;
    }

    private sealed record Options(Mode Mode, int BatchSize, int Concurrency, int Seed, int Tenants, string Run, int Repeat, int? Limit, double? Speed, double Duplicates, bool Shuffle, bool Check);

    /// <summary>One request's worth of events: an event, a batch, or a reserve-then-settle pair.</summary>
    private sealed record Unit(IReadOnlyList<UsageEvent> Events, TimeSpan Due);

    private const decimal Funds = 1_000_000_000m;

    private static async Task<bool> RunAsync(TollgateClient client, IReadOnlyList<TraceCall> calls, Options o, CancellationToken cancel)
    {
        var plan = new ReplayPlan(o.Seed, o.Tenants, o.Run);
        var selected = o.Limit is { } n ? calls.Take(n).ToList() : calls;
        var span = selected.Count == 0 ? TimeSpan.Zero : selected[^1].Time - selected[0].Time + TimeSpan.FromSeconds(1);
        var events = Enumerable.Range(0, o.Repeat).SelectMany(r => selected.Select(c => plan.Event(c, r, span * r))).ToList();
        var units = Units(events, o);
        foreach (var tenant in plan.TenantIds)
        {
            await Retry(() => CreateTenantAsync(client, tenant, cancel), null, cancel);
            await Retry(() => client.TopUpAsync(tenant, new TopUpRequest($"{o.Run}-funding", TopUpKind.Recharge, "credits", Funds), cancel), null, cancel);
        }

        var stats = new LoadStats(units.Count);
        var clock = Stopwatch.StartNew();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        await console.Progress().StartAsync(async progress =>
        {
            var task = progress.AddTask($"replaying {events.Count} events ({o.Mode}, {o.Concurrency} clients)", maxValue: units.Count);
            await LoadStats.RunAsync(units.Count, o.Concurrency, async i =>
            {
                var unit = units[i];
                if (unit.Due > clock.Elapsed)
                {
                    await Task.Delay(unit.Due - clock.Elapsed, cancel);
                }

                var started = Stopwatch.GetTimestamp();
                var charged = await Retry(() => SendAsync(client, unit, o.Mode, cancel), stats, cancel);
                stats.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds, charged);
                task.Increment(1);
            }, cancel);
        });
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(stats.Summary($"replay mode={o.Mode} events={events.Count} units={units.Count} concurrency={o.Concurrency} tenants={o.Tenants}", seconds));
        return !o.Check || await CheckAsync(client, plan, events, cancel);
    }

    /// <summary>The requests to send: in trace order or shuffled, with a fraction sent twice.</summary>
    private static List<Unit> Units(List<UsageEvent> events, Options o)
    {
        var random = new Random(o.Seed);
        var first = events.Count == 0 ? DateTimeOffset.MinValue : events.Min(e => e.Time);
        TimeSpan Due(UsageEvent e) => o.Speed is { } speed ? (e.Time - first) / speed : TimeSpan.Zero;
        var size = o.Mode == Mode.Batch ? o.BatchSize : 1;
        var units = events.Chunk(size).Select(chunk => new Unit(chunk, Due(chunk[0]))).ToList();
        var extra = (int)Math.Round(units.Count * o.Duplicates);
        units.AddRange(Enumerable.Range(0, extra).Select(_ => units[random.Next(units.Count)]).ToList());
        if (o.Shuffle)
        {
            random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(units));
        }
        else
        {
            units = [.. units.OrderBy(u => u.Due)];
        }

        return units;
    }

    private static async Task<long> SendAsync(TollgateClient client, Unit unit, Mode mode, CancellationToken cancel)
    {
        switch (mode)
        {
            case Mode.Single:
                var one = await client.RecordAsync(unit.Events[0], cancel);
                return one.Duplicate ? 0 : 1;
            case Mode.ReserveSettle:
                var e = unit.Events[0];
                await client.ReserveAsync(e.Tenant, new ReservationRequest(e.Id, Estimate: e, TimeoutSeconds: 3600), cancel);
                var settled = await client.SettleAsync(e.Tenant, e.Id, e, cancel);
                return settled.Duplicate ? 0 : 1;
            default:
                var batch = await client.RecordBatchAsync(unit.Events, cancel);
                if (batch.Rejected > 0)
                {
                    throw new InvalidOperationException($"{batch.Rejected} events rejected: {batch.Results.First(r => r.Status == "rejected").Error}");
                }

                return batch.Charged;
        }
    }

    /// <summary>Runs a request until it is answered: a connection failure or a 5xx is retried with the same ids.</summary>
    private static async Task<T> Retry<T>(Func<Task<T>> request, LoadStats? stats, CancellationToken cancel)
    {
        var deadline = Stopwatch.StartNew();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await request();
            }
            catch (Exception ex) when (deadline.Elapsed < TimeSpan.FromMinutes(3) && Transient(ex) is { } why)
            {
                stats?.Error("retried_" + why);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 25 << Math.Min(attempt, 7))), cancel);
            }
        }
    }

    private static string? Transient(Exception ex) => ex switch
    {
        TollgateException { Status: >= HttpStatusCode.InternalServerError } t => ((int)t.Status).ToString(CultureInfo.InvariantCulture),
        HttpRequestException => "connection",
        TaskCanceledException => "timeout",
        _ => null,
    };

    private static async Task<Tenant> CreateTenantAsync(TollgateClient client, string tenant, CancellationToken cancel)
    {
        try
        {
            return await client.CreateTenantAsync(new TenantRequest(tenant), cancel);
        }
        catch (TollgateException ex) when (ex.Status == HttpStatusCode.Conflict)
        {
            return await client.GetTenantAsync(tenant, cancel);
        }
    }

    /// <summary>Each tenant's spend on the server against the offline rating of the same (unique) events.</summary>
    private static async Task<bool> CheckAsync(TollgateClient client, ReplayPlan plan, List<UsageEvent> events, CancellationToken cancel)
    {
        var book = BuiltInCatalogs.Get("gptbots");
        var expected = plan.TenantIds.ToDictionary(t => t, _ => 0m, StringComparer.Ordinal);
        foreach (var e in events.DistinctBy(e => e.Id))
        {
            var rated = Rater.Rate(ToCore(e), book, new RatingContext(Plans.Free, 1m));
            expected[e.Tenant] += LedgerAmount.Round(rated.Charge!.Total);
        }

        var ok = true;
        foreach (var (tenant, want) in expected)
        {
            var balances = await Retry(() => client.GetBalancesAsync(tenant, cancel), null, cancel);
            var spent = Funds - balances.Accounts.Where(a => a.Kind == "recharge" && a.Unit == "credits").Sum(a => a.Posted)
                + balances.Arrears.GetValueOrDefault("credits");
            var held = balances.Accounts.Sum(a => a.Held);
            if (spent != want || held != 0m)
            {
                ok = false;
                Console.WriteLine(FormattableString.Invariant($"check: {tenant} spent {spent} credits (held {held}); the offline rating says {want}"));
            }
        }

        Console.WriteLine(ok
            ? FormattableString.Invariant($"check: ok, {expected.Count} tenants, {events.DistinctBy(e => e.Id).Count()} events, {expected.Values.Sum()} credits, equal to the offline rating")
            : "check: FAILED");
        return ok;
    }

    private static Core.Events.UsageEvent ToCore(UsageEvent e) => new(
        e.Id, e.Tenant, e.Subject, OffsetDateTime.FromDateTimeOffset(e.Time), e.Type, e.Model, e.KeyMode ?? KeyModes.Platform, e.Channel ?? Channels.Api,
        new Dictionary<string, string>(), e.Usage!);

    private static double? Speed(string pace) => pace switch
    {
        "asap" => null,
        "trace" => 1,
        _ when double.TryParse(pace, NumberStyles.Float, CultureInfo.InvariantCulture, out var factor) && factor > 0 => factor,
        _ => throw new ArgumentException("--pace is asap, trace or a speed-up factor such as 60"),
    };
}
