using System.Text;
using BenchmarkDotNet.Attributes;
using Tollgate.Storage.Sql;

namespace Tollgate.Benchmarks;

/// <summary>
/// What <c>units_merge</c> does for each rollup row a batch adds to: two texts of a row's meters added name by name.
/// <see cref="InOrder"/> takes the one ordered pass over texts as <see cref="UnitsJson.Write"/> leaves them;
/// <see cref="General"/> the same units with the names out of order, which take the general path (read both into a
/// dictionary, sort, write: what every merge did before).
/// </summary>
[MemoryDiagnoser]
public class UnitsJsonBenchmarks
{
    private static readonly byte[] Row = Encoding.UTF8.GetBytes(UnitsJson.Write(new Dictionary<string, decimal>
    {
        ["cached_input_tokens"] = 12_500_000_000m,
        ["input_tokens"] = 941_000_000m,
        ["output_tokens"] = 27_000_000m,
    }));

    private static readonly byte[] Batch = Encoding.UTF8.GetBytes("""{"input_tokens":"118000000","output_tokens":"9000000"}""");

    private static readonly byte[] Unordered = Encoding.UTF8.GetBytes("""{"output_tokens":"9000000","input_tokens":"118000000"}""");

    [Benchmark(Baseline = true)]
    public int General() => UnitsJson.Merge(Row, Unordered).Length;

    [Benchmark]
    public int InOrder() => UnitsJson.Merge(Row, Batch).Length;
}
