using BenchmarkDotNet.Attributes;
using NodaTime;
using Tollgate.Core.Events;
using Tollgate.Core.Rating;
using Tollgate.Core.Tenants;
using Tollgate.Storage.Ledger;
using Tollgate.Storage.Sql;
using Tollgate.Storage.Usage;

namespace Tollgate.Benchmarks;

/// <summary>
/// Usage questions over one tenant's month of ten million events, answered from the rollups. The setup writes the
/// rollups those events produce through the same code the ledger uses when it records them (UsageRollup), once,
/// into a SQLite file in the temp folder (or a PostgreSQL schema when TOLLGATE_BENCH_POSTGRES is set).
/// Events: 30 days, 8 models, 3 channels, 2 key modes, 50 end users, input and output tokens.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(MedianAndP95Config))]
public class UsageQueryBenchmarks
{
    private const int Events = 10_000_000;
    private static readonly Instant MonthStart = Instant.FromUtc(2026, 10, 31, 16, 0); // 2026-11-01 00:00 in Shanghai

    private UsageStore usage = null!;

    [GlobalSetup]
    public void Setup()
    {
        var postgres = Environment.GetEnvironmentVariable("TOLLGATE_BENCH_POSTGRES");
        SqlDialect dialect = postgres is null ? new SqliteDialect(Path.Combine(Path.GetTempPath(), $"tollgate-usage-bench-{Events}.db")) : new PostgresDialect(postgres);
        var store = new LedgerStore(dialect, SystemClock.Instance, _ => null);
        store.MigrateAsync().GetAwaiter().GetResult();
        usage = new UsageStore(dialect);
        if (Query(new UsageQuery("acme")).GetAwaiter().GetResult() is [{ Events: Events }])
        {
            return;
        }

        var tenant = new TenantSettings("acme", TimeZone: "Asia/Shanghai");
        store.SaveTenantAsync(tenant).GetAwaiter().GetResult();
        Console.WriteLine($"// writing the rollups of {Events:N0} events");
        string[] models = ["GPT-4.1-1M", "GPT-4o-128k", "GPT-4o-mini-128k", "GPT-5.0-Mini-400k", "Claude-Sonnet-4", "Gemini-2.5-Pro", "DeepSeek-V3", "Qwen3-Max"];
        string[] channels = [Channels.Api, Channels.Editor, Channels.WebSdk];
        var random = new Random(42);
        var step = Duration.FromDays(30) / Events;
        var charge = new RatedCharge("x", 1m, 1m, "credits", [], "gptbots", "2026-01-01");
        var rollup = new UsageRollup();
        for (var i = 0; i < Events; i++)
        {
            var e = new UsageEvent($"e{i}", "acme", $"user-{random.Next(50)}", (MonthStart + step * i).WithOffset(Offset.Zero), BillingTypes.LlmText,
                models[random.Next(models.Length)], random.Next(10) == 0 ? KeyModes.Own : KeyModes.Platform, channels[random.Next(channels.Length)],
                new Dictionary<string, string>(), new Dictionary<string, decimal> { [Meters.InputTokens] = random.Next(20, 8000), [Meters.OutputTokens] = random.Next(1, 1500) });
            rollup.Add(tenant, e, new RecordResult(e.Id, RecordResult.Charged, charge, "developer", "credits", random.Next(1, 500) / 100m, []));
            if (i % 200_000 == 199_999)
            {
                Flush(dialect, rollup);
            }
        }

        Flush(dialect, rollup);
    }

    [Benchmark]
    public Task<IReadOnlyList<UsageRow>> Month_ByDay() => Query(new UsageQuery("acme", MonthStart, MonthStart + Duration.FromDays(30), Bucket: UsageBucket.Day));

    [Benchmark]
    public Task<IReadOnlyList<UsageRow>> Month_ByModelAndDay() => Query(new UsageQuery("acme", MonthStart, MonthStart + Duration.FromDays(30), GroupBy: ["model"], Bucket: UsageBucket.Day));

    [Benchmark]
    public Task<IReadOnlyList<UsageRow>> Month_BySubject() => Query(new UsageQuery("acme", MonthStart, MonthStart + Duration.FromDays(30), GroupBy: ["subject"]));

    /// <summary>The console's usage page stacked by end user over the month (issue 14): answered from usage_subject_totals.</summary>
    [Benchmark]
    public Task<IReadOnlyList<UsageRow>> Month_BySubjectAndDay() => Query(new UsageQuery("acme", MonthStart, MonthStart + Duration.FromDays(30), GroupBy: ["subject"], Bucket: UsageBucket.Day));

    /// <summary>End users by model: still the full per-end-user rollups, as a model is asked about.</summary>
    [Benchmark]
    public Task<IReadOnlyList<UsageRow>> Month_BySubjectAndModel() => Query(new UsageQuery("acme", MonthStart, MonthStart + Duration.FromDays(30), GroupBy: ["subject", "model"]));

    [Benchmark]
    public Task<IReadOnlyList<UsageRow>> Month_OneModel_ByHour() => Query(new UsageQuery("acme", MonthStart, MonthStart + Duration.FromDays(30), Model: "GPT-4o-128k", Bucket: UsageBucket.Hour));

    private Task<IReadOnlyList<UsageRow>> Query(UsageQuery query) => usage.QueryAsync(query);

    private static void Flush(SqlDialect dialect, UsageRollup rollup)
    {
        using var connection = dialect.OpenAsync(default).GetAwaiter().GetResult();
        using var tx = dialect.BeginWriteAsync(connection, default).GetAwaiter().GetResult();
        rollup.FlushAsync(dialect, connection, tx).GetAwaiter().GetResult();
        tx.Commit();
    }
}
