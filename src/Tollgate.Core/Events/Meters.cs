using System.Collections.Frozen;

namespace Tollgate.Core.Events;

/// <summary>
/// The meters of the public contract and how token meters nest.
/// </summary>
/// <remarks>
/// Token semantics: <c>input_tokens</c> is ALL input. Cached, cache-write, audio and image input tokens
/// are parts of it; <c>output_tokens</c> likewise contains reasoning, audio and image output tokens.
/// A part with a price of its own is billed at that price and taken out of its total; the rest of the
/// total is billed at the total's price. Parts that add up to more than their total are rejected.
/// </remarks>
public static class Meters
{
    public const string InputTokens = "input_tokens";
    public const string CachedInputTokens = "cached_input_tokens";
    public const string CacheWriteTokens = "cache_write_tokens";
    public const string CacheWrite1hTokens = "cache_write_1h_tokens";
    public const string AudioInputTokens = "audio_input_tokens";
    public const string ImageInputTokens = "image_input_tokens";
    public const string OutputTokens = "output_tokens";
    public const string ReasoningTokens = "reasoning_tokens";
    public const string AudioOutputTokens = "audio_output_tokens";
    public const string ImageOutputTokens = "image_output_tokens";
    public const string Calls = "calls";
    public const string AudioSeconds = "audio_seconds";
    public const string Characters = "characters";
    public const string Images = "images";
    public const string Megapixels = "megapixels";
    public const string VideoSeconds = "video_seconds";
    public const string StoredTokenDays = "stored_token_days";

    /// <summary>Every meter, in the order lines are listed on a charge.</summary>
    public static IReadOnlyList<string> Ordered { get; } =
    [
        InputTokens, CachedInputTokens, CacheWriteTokens, CacheWrite1hTokens, AudioInputTokens, ImageInputTokens,
        OutputTokens, ReasoningTokens, AudioOutputTokens, ImageOutputTokens,
        Calls, AudioSeconds, Characters, Images, Megapixels, VideoSeconds, StoredTokenDays,
    ];

    public static FrozenSet<string> All { get; } = Ordered.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Part meter -> the total meter it is contained in.</summary>
    public static FrozenDictionary<string, string> TotalOf { get; } = new Dictionary<string, string>
    {
        [CachedInputTokens] = InputTokens,
        [CacheWriteTokens] = InputTokens,
        [CacheWrite1hTokens] = InputTokens,
        [AudioInputTokens] = InputTokens,
        [ImageInputTokens] = InputTokens,
        [ReasoningTokens] = OutputTokens,
        [AudioOutputTokens] = OutputTokens,
        [ImageOutputTokens] = OutputTokens,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Total meter -> its parts, in contract order.</summary>
    public static FrozenDictionary<string, string[]> PartsOf { get; } = new Dictionary<string, string[]>
    {
        [InputTokens] = [CachedInputTokens, CacheWriteTokens, CacheWrite1hTokens, AudioInputTokens, ImageInputTokens],
        [OutputTokens] = [ReasoningTokens, AudioOutputTokens, ImageOutputTokens],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The largest quantity one event may carry for one meter; more is taken for a client bug.</summary>
    public const decimal MaxQuantity = 1_000_000_000_000m;
}
