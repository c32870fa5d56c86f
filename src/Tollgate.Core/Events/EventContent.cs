namespace Tollgate.Core.Events;

/// <summary>Text and images of a call, for events that carry no token counts.</summary>
/// <param name="Language">ISO 639-1 code for the per-language fallback estimate (en, zh, ja, ko, fr, ...).</param>
/// <param name="Tokenizer">o200k_base, cl100k_base or heuristic; the price item's choice when absent.</param>
public sealed record EventContent(
    string? InputText,
    string? OutputText,
    string? Language,
    string? Tokenizer,
    IReadOnlyList<ImageSize> Images);
