namespace Tollgate.Cli.Tests;

/// <summary>
/// The gateway benchmark (issue 15), run in a tiny form so it keeps working: its own server and fake provider, both
/// targets, both call kinds, streams as long as asked (each client checks that every chunk came through), a
/// conversation sent before each question.
/// </summary>
public sealed class GatewayBenchTests
{
    [Fact]
    public async Task BenchGateway_Tiny_ReportsBothTargetsAndOverheadWithNothingHeld()
    {
        var bench = await CliRunner.RunAsync("", ["bench", "--mode", "gateway", "--requests", "20", "--concurrency", "2", "--stream-chunks", "40", "--history-chars", "3000"]);
        Assert.True(bench.ExitCode == 0, bench.Stdout + bench.Stderr);
        foreach (var stream in new[] { "false", "true" })
        {
            foreach (var clients in new[] { 1, 2, 16 })
            {
                foreach (var target in new[] { "gateway", "direct" })
                {
                    Assert.Matches($@"gateway-bench stream={stream} concurrency={clients} target={target} requests=20 requests/s=\d+ p50=\d+\.\d{{3}}ms p99=\d+\.\d{{3}}ms errors=0", bench.Stdout);
                }

                Assert.Matches($@"gateway-overhead stream={stream} concurrency={clients} p50_added=-?\d+\.\d{{3}}ms p99_added=-?\d+\.\d{{3}}ms", bench.Stdout);
            }
        }

        Assert.Contains("gateway-check held=0 errors=0", bench.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BenchGateway_ShapesOutOfRange_RefusedBeforeAnythingStarts()
    {
        var chunks = await CliRunner.RunAsync("", ["bench", "--mode", "gateway", "--stream-chunks", "0"]);
        Assert.NotEqual(0, chunks.ExitCode);
        Assert.Contains("--stream-chunks must be from 1 to 100000", chunks.Stdout + chunks.Stderr, StringComparison.Ordinal);
        var history = await CliRunner.RunAsync("", ["bench", "--mode", "gateway", "--history-chars", "-1"]);
        Assert.NotEqual(0, history.ExitCode);
        Assert.Contains("--history-chars must be from 0 to 10000000", history.Stdout + history.Stderr, StringComparison.Ordinal);
    }
}
