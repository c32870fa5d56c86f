using BenchmarkDotNet.Attributes;
using NodaTime;
using Tollgate.Core.Catalogs;
using Tollgate.Core.Events;
using Tollgate.Core.Rating;

namespace Tollgate.Benchmarks;

/// <summary>
/// Rating alone, in process: one LLM event priced with the built-in gptbots book (118 items), and 1,000 events of
/// varied models, key modes and sizes. Target: over 1,000,000 events per second per core.
/// </summary>
[MemoryDiagnoser]
public class RatingBenchmarks
{
    private const int Batch = 1000;
    private static readonly string[] Models = ["GPT-4.1-1M", "GPT-4o-mini-128k", "GPT-5.0-Nano-400k", "Llama-4.0-Maverick-1M", "OpenAI/GPT-4.1-mini-1M"];

    private readonly PriceBook book = BuiltInCatalogs.Get("gptbots");
    private readonly RatingContext context = new(Plans.Free, 1m);
    private UsageEvent single = null!;
    private UsageEvent[] events = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        var time = new OffsetDateTime(new LocalDateTime(2025, 3, 1, 10, 0), Offset.FromHours(8));
        UsageEvent Event(int i, string model, string keyMode, long input, long output) => new(
            $"e{i}", "acme", null, time, BillingTypes.LlmText, model, keyMode, Channels.Api, new Dictionary<string, string>(),
            new Dictionary<string, decimal> { [Meters.InputTokens] = input, [Meters.OutputTokens] = output });
        single = Event(0, "GPT-4.1-1M", KeyModes.Platform, 1200, 300);
        events = [.. Enumerable.Range(0, Batch).Select(i => Event(i, Models[i % Models.Length], i % 4 == 0 ? KeyModes.Own : KeyModes.Platform, random.Next(10, 8000), random.Next(1, 2000)))];
    }

    [Benchmark(Baseline = true)]
    public decimal RateOne() => Rater.Rate(single, book, context).Charge!.Total;

    [Benchmark(OperationsPerInvoke = Batch)]
    public decimal RateThousandVaried()
    {
        var sum = 0m;
        foreach (var e in events)
        {
            sum += Rater.Rate(e, book, context).Charge!.Total;
        }

        return sum;
    }
}
