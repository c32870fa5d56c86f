namespace Tollgate.Cli.Tests;

/// <summary>
/// The server killed with SIGKILL at random moments during a replay, and restarted: the replayer retries every
/// unacknowledged request with the same ids, and afterwards every event is charged exactly once (the totals equal
/// an offline rating to the last unit) and the ledger checks clean. The long form runs more kills:
/// TOLLGATE_CRASH_KILLS=20 TOLLGATE_CRASH_EVENTS=28185.
/// </summary>
public sealed class CrashTests
{
    [Fact]
    public async Task Killed_and_restarted_during_a_replay_every_event_is_charged_exactly_once()
    {
        var kills = int.TryParse(Environment.GetEnvironmentVariable("TOLLGATE_CRASH_KILLS"), out var k) ? k : 3;
        var events = int.TryParse(Environment.GetEnvironmentVariable("TOLLGATE_CRASH_EVENTS"), out var e) ? e : 6000;
        await using var server = await ServeProcess.StartAsync();
        var trace = RepoPaths.AzureTrace;
        var replay = CliRunner.RunAsync(
            "",
            ["replay", "--server", server.Url, "--key", server.Key, "--trace", trace, "--limit", events.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--mode", "batch", "--batch-size", "50", "--concurrency", "3", "--seed", "7", "--duplicates", "0.1", "--pace", Pace(trace, events, kills)],
            TimeSpan.FromMinutes(10));
        var random = new Random(7);
        var done = 0;
        while (done < kills && !replay.IsCompleted)
        {
            // Kill only a server that is charging the replay's events: timed from the replayer's launch, the kills
            // could all fall before its first event on a loaded machine (its start-up and tenant set-up take seconds,
            // and set-up retries are not counted), and then nothing is retried_ during the replay.
            if (!await RecordingAsync(server.Url, replay))
            {
                break;
            }

            await Task.Delay(random.Next(800, 2000));
            await server.CrashAndRestartAsync();
            done++;
        }

        var result = await replay;
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Contains("check: ok", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(kills, done);
        Assert.Contains("retried_", result.Stdout, StringComparison.Ordinal);

        var check = await CliRunner.RunAsync("", ["ledger", "check", "--sqlite", Path.Combine(server.Folder, "tollgate.db")]);
        Assert.True(check.ExitCode == 0, check.Stdout + check.Stderr);
        Assert.StartsWith("clean", check.Lines[^1], StringComparison.Ordinal);
    }

    /// <summary>Waits until this server process has charged an event (its counters start at zero on each start); false when the replay ended first.</summary>
    private static async Task<bool> RecordingAsync(string url, Task replay)
    {
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!(await http.GetStringAsync("metrics")).Contains("tollgate_events_total{status=\"charged\"", StringComparison.Ordinal))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromMinutes(2), "the replay recorded nothing");
            if (replay.IsCompleted)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }

    /// <summary>A speed-up of the trace's pace so the replay outlasts the kills (a wait of 0.8 to 2 s, then a restart of about 1 s, and the replayer's back-off of up to 2 s before it charges again).</summary>
    private static string Pace(string trace, int events, int kills)
    {
        var calls = Load.AzureTrace.Read(trace);
        var span = calls[Math.Min(events, calls.Count) - 1].Time - calls[0].Time;
        return (span.TotalSeconds / ((kills * 4.0) + 2)).ToString("F0", System.Globalization.CultureInfo.InvariantCulture);
    }
}
