namespace Tollgate.Cli.Tests;

/// <summary>
/// The bare-endpoint comparison (issue 13), run in a tiny form so it keeps working: its own server and bare endpoint,
/// both targets, single events and reserve+settle pairs, and nothing left held.
/// </summary>
public sealed class ApiCompareTests
{
    [Fact]
    public async Task Bench_ApiCompareMode_MeasuresTollgateAndTheBareEndpointAtEachLevel()
    {
        var bench = await CliRunner.RunAsync("", ["bench", "--mode", "api-compare", "--requests", "20", "--concurrency", "2"]);

        Assert.True(bench.ExitCode == 0, bench.Stdout + bench.Stderr);
        foreach (var mode in new[] { "single", "reserve-settle" })
        {
            foreach (var clients in new[] { 1, 2, 16 })
            {
                foreach (var target in new[] { "tollgate", "bare" })
                {
                    Assert.Matches($@"api-bench mode={mode} concurrency={clients} target={target} requests=20 requests/s=\d+ p50=\d+\.\d{{3}}ms p99=\d+\.\d{{3}}ms errors=0", bench.Stdout);
                }

                Assert.Matches($@"api-ratio mode={mode} concurrency={clients} rate_ratio=\d+\.\d % p50_added=-?\d+\.\d{{3}}ms p99_added=-?\d+\.\d{{3}}ms", bench.Stdout);
            }
        }

        Assert.Contains("api-check held=0 errors=0", bench.Stdout, StringComparison.Ordinal);
    }
}
