using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Tollgate.Core.Rating;
using Tollgate.Storage.Ledger;

namespace Tollgate.Benchmarks;

/// <summary>
/// The answer stored with every recorded event: written by the source-generated <see cref="StoredAnswer"/> against the
/// reflection-based serializer it replaced (every property, nulls included), for a typical two-line LLM charge.
/// </summary>
[MemoryDiagnoser]
public class StoredAnswerBenchmarks
{
    private static readonly JsonSerializerOptions Reflection = new(JsonSerializerDefaults.Web);

    private readonly RecordResult result = new(
        "replay-21-conv-0-938",
        RecordResult.Charged,
        new RatedCharge("replay-21-conv-0-938", 0.12111m, 0.12111m, "credits",
            [
                new ChargeLine("input_tokens", 1116, 0.0275m, 1000, "credits", 0.03069m, [new Modifier("key_mode", null, "platform key price")], false),
                new ChargeLine("output_tokens", 411, 0.22m, 1000, "credits", 0.09042m, [new Modifier("key_mode", null, "platform key price")], false),
            ],
            "gptbots",
            "1"),
        "developer",
        "credits",
        0.12111m,
        [new Payment(1, "recharge", "credits", 0.12111m, 0.12111m)],
        0.00000m);

    private string stored = null!;

    [GlobalSetup]
    public void Setup() => stored = StoredAnswer.WriteUtf8(result, result.EventId).ToString();

    [Benchmark(Baseline = true)]
    public byte[] WriteWithReflection() => JsonSerializer.SerializeToUtf8Bytes(result, Reflection);

    [Benchmark]
    public byte[] Write() => StoredAnswer.WriteUtf8(result, result.EventId).Bytes;

    [Benchmark]
    public RecordResult ReadWithReflection() => JsonSerializer.Deserialize<RecordResult>(stored, Reflection)!;

    [Benchmark]
    public RecordResult Read() => StoredAnswer.Read(stored, result.EventId);
}
