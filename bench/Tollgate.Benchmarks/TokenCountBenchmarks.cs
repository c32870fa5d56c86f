using BenchmarkDotNet.Attributes;
using Tollgate.Core.Estimation;

namespace Tollgate.Benchmarks;

/// <summary>
/// Counting a call's input before it is reserved (o200k_base, Microsoft.ML.Tokenizers), as the gateway does for every
/// call: English prose (this repository's documentation) of about 1,100, 11,600 and 45,000 tokens. BenchmarkDotNet
/// counts the same text again and again, so the tokenizer's cache of the pieces it has seen is warm, as it is for an
/// agent that sends its conversation again at every turn.
/// </summary>
[MemoryDiagnoser]
public class TokenCountBenchmarks
{
    private string text = null!;

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
    }

    [Benchmark]
    public long Count() => TokenEstimator.Count(text, TokenEstimator.O200kBase, null);
}
