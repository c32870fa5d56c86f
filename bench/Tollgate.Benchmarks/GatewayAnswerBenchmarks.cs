using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Tollgate.Gateway.OpenAi;

namespace Tollgate.Benchmarks;

/// <summary>
/// The gateway reading the usage of a non-streamed answer before it settles the call: a chat completion (a short
/// answer) and an embeddings answer for 16 inputs of 1,536 dimensions (about 540 KB of vectors around a usage object).
/// </summary>
[MemoryDiagnoser]
public class GatewayAnswerBenchmarks
{
    private readonly ChatCompletionsHandler chat = new(null!);
    private readonly EmbeddingsHandler embeddings = new(null!);
    private readonly JsonObject request = new() { ["model"] = "m", ["input"] = "text" };
    private byte[] chatAnswer = null!;
    private byte[] embeddingsAnswer = null!;

    [GlobalSetup]
    public void Setup()
    {
        chatAnswer = Encoding.UTF8.GetBytes(
            """{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"Hello there, how can I help you today?"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1200,"completion_tokens":300,"total_tokens":1500,"prompt_tokens_details":{"cached_tokens":1024},"completion_tokens_details":{"reasoning_tokens":64}}}""");
        var random = new Random(7);
        var text = new StringBuilder("""{"object":"list","data":[""");
        for (var i = 0; i < 16; i++)
        {
            text.Append(i == 0 ? "" : ",").Append("""{"object":"embedding","index":""").Append(i).Append(""","embedding":[""");
            for (var d = 0; d < 1536; d++)
            {
                text.Append(d == 0 ? "" : ",").Append((random.NextDouble() * 2 - 1).ToString("F8", CultureInfo.InvariantCulture));
            }

            text.Append("]}");
        }

        text.Append("""],"model":"text-embedding-3-small","usage":{"prompt_tokens":512,"total_tokens":512}}""");
        embeddingsAnswer = Encoding.UTF8.GetBytes(text.ToString());
    }

    [Benchmark]
    public object Chat() => chat.UsageOfAnswer(request, chatAnswer, json: true);

    [Benchmark]
    public object Embeddings() => embeddings.UsageOfAnswer(request, embeddingsAnswer, json: true);
}
