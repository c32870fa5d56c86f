using System.Collections.Frozen;
using System.Text.RegularExpressions;
using Tollgate.Core.Events;

namespace Tollgate.Core.Catalogs.Import;

/// <summary>
/// How LiteLLM's price fields map to Tollgate's meters. LiteLLM prices tokens per token (billed as
/// <c>tokens x cost</c>, parts such as cached or audio tokens taken out of the prompt or completion and billed at
/// their own price, as Tollgate's token semantics do); other units per second, character, image or pixel.
/// </summary>
internal static partial class LiteLlmFields
{
    /// <summary>Per-token fields: written per 1M tokens.</summary>
    public static FrozenDictionary<string, string> Tokens { get; } = new Dictionary<string, string>
    {
        ["input_cost_per_token"] = Meters.InputTokens,
        ["output_cost_per_token"] = Meters.OutputTokens,
        ["cache_read_input_token_cost"] = Meters.CachedInputTokens,
        ["cache_creation_input_token_cost"] = Meters.CacheWriteTokens,
        ["cache_creation_input_token_cost_above_1hr"] = Meters.CacheWrite1hTokens,
        ["output_cost_per_reasoning_token"] = Meters.ReasoningTokens,
        ["input_cost_per_audio_token"] = Meters.AudioInputTokens,
        ["output_cost_per_audio_token"] = Meters.AudioOutputTokens,
        ["input_cost_per_image_token"] = Meters.ImageInputTokens,
        ["output_cost_per_image_token"] = Meters.ImageOutputTokens,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The LiteLLM modes Tollgate can price, with the billing types of their items.</summary>
    public static FrozenDictionary<string, string[]> Modes { get; } = new Dictionary<string, string[]>
    {
        ["chat"] = [BillingTypes.LlmText],
        ["completion"] = [BillingTypes.LlmText],
        ["responses"] = [BillingTypes.LlmText],
        ["realtime"] = [BillingTypes.LlmAudio, BillingTypes.LlmText],
        ["embedding"] = [BillingTypes.Embedding],
        ["image_generation"] = [BillingTypes.ImageGeneration],
        ["image_edit"] = [BillingTypes.ImageGeneration],
        ["audio_transcription"] = [BillingTypes.Asr],
        ["audio_speech"] = [BillingTypes.Tts],
        ["rerank"] = [BillingTypes.Rerank],
        ["moderation"] = [BillingTypes.Moderation],
        ["video_generation"] = [BillingTypes.VideoGeneration],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// Service-tier variants: LiteLLM prices a request of that tier with <c>field_suffix</c> where it exists (else
    /// the standard field); Tollgate expresses it as one multiplier on the request's attribute.
    /// </summary>
    public static IReadOnlyList<(string Suffix, string Attribute, string EqualsValue)> Variants { get; } =
    [
        ("_priority", "priority", "true"),
        ("_flex", "service_tier", "flex"),
        ("_batches", "batch", "true"),
    ];

    /// <summary>A long-context field: <c>{token field}_above_{N}k_tokens</c>, priced for the whole request above N thousand input tokens.</summary>
    [GeneratedRegex(@"^(?<base>[a-z0-9_]+?)_above_(?<k>\d+)k_tokens$")]
    public static partial Regex Tier();
}
