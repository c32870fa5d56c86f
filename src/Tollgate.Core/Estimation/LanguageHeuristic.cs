using System.Globalization;

namespace Tollgate.Core.Estimation;

/// <summary>
/// The pricing document's rule-of-thumb token counts, for when no tokenizer fits the model:
/// English 1 token per 4 characters; Chinese, Japanese, Korean and Thai 1 token per character;
/// French, Spanish, German, Russian, Arabic and other word-spaced languages 1.2 tokens per word.
/// Without a language, CJK, kana, Hangul and Thai characters count 1 each and the rest 1 per 4 characters.
/// </summary>
public static class LanguageHeuristic
{
    private static readonly HashSet<string> PerCharacter = new(StringComparer.OrdinalIgnoreCase) { "zh", "ja", "ko", "th" };
    private static readonly HashSet<string> PerWord = new(StringComparer.OrdinalIgnoreCase) { "fr", "es", "de", "ru", "ar", "he", "it", "pt", "nl" };

    public static long Count(string text, string? language)
    {
        var lang = language?.Split('-', '_')[0];
        if (lang is not null && string.Equals(lang, "en", StringComparison.OrdinalIgnoreCase))
        {
            return CeilDiv(new StringInfo(text).LengthInTextElements, 4);
        }

        if (lang is not null && PerCharacter.Contains(lang))
        {
            return text.Count(c => !char.IsWhiteSpace(c));
        }

        if (lang is not null && PerWord.Contains(lang))
        {
            var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
            return (long)decimal.Ceiling(words * 1.2m);
        }

        long wide = 0, other = 0;
        foreach (var c in text)
        {
            if (IsOneTokenCharacter(c))
            {
                wide++;
            }
            else
            {
                other++;
            }
        }

        return wide + CeilDiv(other, 4);
    }

    private static bool IsOneTokenCharacter(char c) =>
        c is (>= '\u4E00' and <= '\u9FFF') // CJK unified ideographs
            or (>= '\u3400' and <= '\u4DBF') // CJK extension A
            or (>= '\u3040' and <= '\u30FF') // hiragana, katakana
            or (>= '\uAC00' and <= '\uD7AF') // Hangul syllables
            or (>= '\u0E00' and <= '\u0E7F'); // Thai

    private static long CeilDiv(long value, long divisor) => (value + divisor - 1) / divisor;
}
