using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;

namespace Tollgate.Benchmarks;

/// <summary>Adds the median and the 95th percentile to the default columns: docs/benchmarks.md reports both, as the console page bench does.</summary>
public sealed class MedianAndP95Config : ManualConfig
{
    public MedianAndP95Config()
    {
        AddColumn(StatisticColumn.Median, StatisticColumn.P95);
    }
}
