using Microsoft.ML.Tokenizers;

namespace Tollgate.Core.Estimation;

/// <summary>Counts tokens of text with OpenAI's BPE encodings (Microsoft.ML.Tokenizers) or the language fallback.</summary>
public static class TokenEstimator
{
    public const string O200kBase = "o200k_base";
    public const string Cl100kBase = "cl100k_base";
    public const string Heuristic = "heuristic";

    // Loading an encoding takes a moment and its tables are large: load each once, on first use. Both are thread-safe.
    // Long texts are counted in parts of whole paragraphs, each part's count kept (ParagraphCounts).
    private static readonly Lazy<ParagraphCounts> O200k = new(() => new ParagraphCounts(TiktokenTokenizer.CreateForEncoding(O200kBase)));
    private static readonly Lazy<ParagraphCounts> Cl100k = new(() => new ParagraphCounts(TiktokenTokenizer.CreateForEncoding(Cl100kBase)));

    public static bool IsKnownTokenizer(string name) => name is O200kBase or Cl100kBase or Heuristic;

    public static long Count(string text, string tokenizer, string? language) => tokenizer switch
    {
        O200kBase => O200k.Value.Count(text),
        Cl100kBase => Cl100k.Value.Count(text),
        Heuristic => LanguageHeuristic.Count(text, language),
        _ => throw new ArgumentException($"unknown tokenizer '{tokenizer}'", nameof(tokenizer)),
    };
}
