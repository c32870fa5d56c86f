using System.Text.Json.Nodes;
using Tollgate.Core.Events;

namespace Tollgate.Gateway.Anthropic;

/// <summary>
/// Anthropic's usage to Tollgate's meters. Anthropic's <c>input_tokens</c> leaves out the cache: the whole input is
/// input + cache writes + cache reads, and the cache parts become parts of Tollgate's <c>input_tokens</c>. Cache writes
/// are split by lifetime when <c>cache_creation</c> says so (5 minutes otherwise).
/// </summary>
internal static class AnthropicUsage
{
    /// <summary>The input side (message_start, or a whole answer's usage); null when the object has no counts.</summary>
    public static Dictionary<string, decimal>? Input(JsonNode? usage)
    {
        if (usage is not JsonObject u || JsonNumbers.Count(u["input_tokens"]) is not { } uncached)
        {
            return null;
        }

        var reads = JsonNumbers.Count(u["cache_read_input_tokens"]) ?? 0;
        var writes = JsonNumbers.Count(u["cache_creation_input_tokens"]) ?? 0;
        var oneHour = JsonNumbers.Count(u["cache_creation"]?["ephemeral_1h_input_tokens"]) ?? 0;
        var meters = new Dictionary<string, decimal>(StringComparer.Ordinal) { [Meters.InputTokens] = checked(uncached + reads + writes) };
        JsonNumbers.Put(meters, Meters.CachedInputTokens, reads);
        JsonNumbers.Put(meters, Meters.CacheWriteTokens, writes - oneHour);
        JsonNumbers.Put(meters, Meters.CacheWrite1hTokens, oneHour);
        return meters;
    }

    /// <summary>Input and output together: a whole answer's usage, or message_start's input with message_delta's output.</summary>
    public static Dictionary<string, decimal>? Complete(IReadOnlyDictionary<string, decimal>? input, long? output)
    {
        if (input is null || output is null)
        {
            return null;
        }

        return new Dictionary<string, decimal>(input, StringComparer.Ordinal) { [Meters.OutputTokens] = output.Value };
    }
}
