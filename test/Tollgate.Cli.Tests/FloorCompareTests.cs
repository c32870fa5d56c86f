using System.Text.RegularExpressions;

namespace Tollgate.Cli.Tests;

/// <summary>The issue 13 benchmark driver, run in a tiny form so it keeps working: both engines, one round, 300 events.</summary>
public sealed class FloorCompareTests
{
    [Fact]
    public async Task BenchFloorCompare_TinyTraceOnBothEngines_ChecksEveryReplayAndPrintsRatios()
    {
        var postgres = Environment.GetEnvironmentVariable("TOLLGATE_TEST_POSTGRES")
            ?? throw new InvalidOperationException("TOLLGATE_TEST_POSTGRES is not set: run the tests with scripts/test.sh");

        var run = await CliRunner.RunAsync(
            "",
            ["bench", "--mode", "floor-compare", "--trace", RepoPaths.AzureTrace, "--limit", "300", "--rounds", "1", "--engines", "sqlite,postgres", "--postgres", postgres],
            TimeSpan.FromMinutes(4));

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        // Fresh and warm replays on each engine, every one checked against the offline rating.
        Assert.Equal(4, Regex.Count(run.Stdout, "check: ok, 10 tenants, 300 events"));
        Assert.Matches(@"round 1 sqlite: tollgate fresh \d+ warm \d+ events/s, floor \d+ events/s, peak RSS \d+ MB, \d+ B/event \(floor \d+\)", run.Stdout);
        Assert.Matches(@"round 1 postgres: tollgate fresh \d+ warm \d+ events/s, floor \d+ \(copy \d+\) events/s", run.Stdout);
        Assert.Matches(@"sqlite: tollgate warm \d+ \[\d+-\d+\].* ratio warm/floor [\d.]+ ?%", run.Stdout);
        Assert.Matches(@"postgres: tollgate warm \d+ \[\d+-\d+\].* ratio warm/floor [\d.]+ ?%", run.Stdout);
    }
}
