using System.Collections.Concurrent;
using Microsoft.ML.Tokenizers;

namespace Tollgate.Core.Estimation;

/// <summary>
/// Token counts of long texts, in parts of whole paragraphs, with the counts of the parts kept. An agent sends its
/// whole conversation again at every turn, and the gateway counts a call's input before it reserves it
/// (docs/benchmarks.md, "Long prompts": about 1.5 ms for 11,600 tokens), so most of a long input has been counted
/// before.
/// </summary>
/// <remarks>
/// The count is exact, not an approximation. The pieces a BPE encoding merges within never cross the end of a run of
/// line breaks that is followed by a character that is neither white space nor '/'. That is how the o200k_base and
/// cl100k_base patterns split text, and <c>ParagraphCountsTests</c> checks it against whole-text counts. So the count
/// of a text is the sum of the counts of the parts cut there, whether a count comes from here or the tokenizer.
/// </remarks>
internal sealed class ParagraphCounts(Tokenizer tokenizer)
{
    /// <summary>The fewest characters in a part: paragraphs are taken together until they make this many.</summary>
    internal const int MinKept = 256;

    /// <summary>Parts longer than this (a pasted file in one line) are counted, not kept.</summary>
    private const int MaxKept = 256 * 1024;

    /// <summary>The characters kept at most; past them the counts are dropped and kept again from nothing.</summary>
    private const long MaxCharacters = 4 * 1024 * 1024;

    private readonly ConcurrentDictionary<string, int> counts = new(StringComparer.Ordinal);
    private long characters;
    private long tokenized;

    /// <summary>Characters the tokenizer has been given (for tests: what the kept counts saved is what it was not given).</summary>
    internal long Tokenized => Interlocked.Read(ref tokenized);

    public long Count(string text)
    {
        if (text.Length < 2 * MinKept)
        {
            return Tokenize(text);
        }

        // Paragraphs are taken together until they make at least MinKept characters, so that text of short lines
        // (code) is kept too. Taken from the start of the text, a prefix another text shares is cut in the same places.
        long total = 0;
        var start = 0;
        var from = MinKept - 1;
        while (from < text.Length && text.AsSpan(from).IndexOfAny('\n', '\r') is var at and >= 0)
        {
            var i = from + at;
            from = i + 1;
            if (IsCut(text, i))
            {
                total += CountPart(text.AsSpan(start, i + 1 - start));
                start = i + 1;
                from = Math.Max(from, start + MinKept - 1);
            }
        }

        return total + CountPart(text.AsSpan(start));
    }

    /// <summary>A line break at <paramref name="i"/> that ends a run of them, before a character no piece can take along.</summary>
    private static bool IsCut(string text, int i) =>
        text[i] is '\n' or '\r' && i + 1 < text.Length && !char.IsWhiteSpace(text[i + 1]) && text[i + 1] != '/';

    private int CountPart(ReadOnlySpan<char> part)
    {
        if (part.Length < MinKept || part.Length > MaxKept)
        {
            return Tokenize(part);
        }

        if (counts.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(part, out var count))
        {
            return count;
        }

        count = Tokenize(part);
        Keep(part, count);
        return count;
    }

    private int Tokenize(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return 0;
        }

        Interlocked.Add(ref tokenized, text.Length);
        return tokenizer.CountTokens(text);
    }

    private void Keep(ReadOnlySpan<char> part, int count)
    {
        if (Interlocked.Add(ref characters, part.Length) > MaxCharacters)
        {
            counts.Clear();
            Interlocked.Exchange(ref characters, part.Length);
        }

        counts.TryAdd(part.ToString(), count);
    }
}
