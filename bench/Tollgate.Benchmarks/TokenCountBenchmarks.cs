using BenchmarkDotNet.Attributes;
using Microsoft.ML.Tokenizers;
using Tollgate.Core.Estimation;

namespace Tollgate.Benchmarks;

/// <summary>
/// Counting a call's input before it is reserved (o200k_base), as the gateway does for every call: English prose (this
/// repository's documentation) of about 1,100, 11,600 and 45,000 tokens.
/// <list type="bullet">
/// <item><see cref="Count"/> counts the same text again and again.</item>
/// <item><see cref="CountNextTurn"/> counts it with a new message of 350 words at its end each time, as an agent
/// sends its conversation again at every turn: what the paragraph counts kept (<c>ParagraphCounts</c>) leave to count.</item>
/// <item><see cref="Tokenizer"/> is Microsoft.ML.Tokenizers alone on the whole text, its own cache of pieces warm.</item>
/// </list>
/// </summary>
[MemoryDiagnoser]
public class TokenCountBenchmarks
{
    private static readonly Tokenizer O200k = TiktokenTokenizer.CreateForEncoding(TokenEstimator.O200kBase);
    private string text = null!;
    private string[] words = null!;
    private readonly Random random = new(3);

    [Params(4_000, 40_000, 160_000)]
    public int Characters { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var docs = new DirectoryInfo(AppContext.BaseDirectory);
        while (!Directory.Exists(Path.Combine(docs.FullName, "docs")))
        {
            docs = docs.Parent ?? throw new DirectoryNotFoundException("the repository's docs folder");
        }

        var all = string.Concat(Directory.GetFiles(Path.Combine(docs.FullName, "docs"), "*.md").Order(StringComparer.Ordinal).Select(File.ReadAllText));
        text = all[..Characters];
        words = all.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
    }

    [Benchmark]
    public long Count() => TokenEstimator.Count(text, TokenEstimator.O200kBase, null);

    /// <summary>The text and a message never seen before: 350 words of the documentation in a random order, in lines of 12.</summary>
    [Benchmark]
    public long CountNextTurn()
    {
        var next = new System.Text.StringBuilder(text.Length + 2500).Append(text).Append('\n');
        for (var i = 0; i < 350; i++)
        {
            next.Append(words[random.Next(words.Length)]).Append(i % 12 == 11 ? '\n' : ' ');
        }

        return TokenEstimator.Count(next.Append('\n').ToString(), TokenEstimator.O200kBase, null);
    }

    [Benchmark]
    public long Tokenizer() => O200k.CountTokens(text);
}
