using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Core.Events;

namespace Tollgate.Gateway.OpenAi;

/// <summary>
/// OpenAI's usage object to Tollgate's meters. Chat Completions names them prompt/completion tokens, the Responses
/// API input/output tokens; both report cached input and reasoning output as parts of their totals, as Tollgate does.
/// </summary>
internal static class OpenAiUsage
{
    /// <summary>A usage object read in place (a provider's answer or a stream's chunk), before its document is disposed.</summary>
    public static Dictionary<string, decimal>? Map(JsonElement usage) => Map(JsonNumbers.Node(usage));

    public static Dictionary<string, decimal>? Map(JsonNode? usage)
    {
        if (usage is not JsonObject u)
        {
            return null;
        }

        var input = JsonNumbers.Count(u["prompt_tokens"]) ?? JsonNumbers.Count(u["input_tokens"]);
        var output = JsonNumbers.Count(u["completion_tokens"]) ?? JsonNumbers.Count(u["output_tokens"]);
        if (input is null && output is null)
        {
            return null;
        }

        var inputDetails = u["prompt_tokens_details"] ?? u["input_tokens_details"];
        var outputDetails = u["completion_tokens_details"] ?? u["output_tokens_details"];
        // Embeddings report no output: the meter is left out, not zero, so items that price only input still rate it.
        var meters = new Dictionary<string, decimal>(StringComparer.Ordinal) { [Meters.InputTokens] = input ?? 0 };
        if (output is { } o)
        {
            meters[Meters.OutputTokens] = o;
        }

        JsonNumbers.Put(meters, Meters.CachedInputTokens, JsonNumbers.Count(inputDetails?["cached_tokens"]));
        JsonNumbers.Put(meters, Meters.AudioInputTokens, JsonNumbers.Count(inputDetails?["audio_tokens"]));
        JsonNumbers.Put(meters, Meters.ImageInputTokens, JsonNumbers.Count(inputDetails?["image_tokens"]));
        JsonNumbers.Put(meters, Meters.ReasoningTokens, JsonNumbers.Count(outputDetails?["reasoning_tokens"]));
        JsonNumbers.Put(meters, Meters.AudioOutputTokens, JsonNumbers.Count(outputDetails?["audio_tokens"]));
        return meters;
    }
}
