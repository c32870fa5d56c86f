using System.Text.Json;

namespace Tollgate.Cli.Tests;

/// <summary>The runtime settings the server's speed depends on, as the built program carries them.</summary>
public sealed class RuntimeSettingsTests
{
    [Fact]
    public void TheProgram_RunsWithoutDynamicPgo_SoAFreshServerIsSoonAsFastAsAWarmOne()
    {
        // Measured in docs/benchmarks.md ("Allocations, the fresh server's compiler, one copy of each answer"): with dynamic PGO's instrumented tier a fresh server took
        // three replays of the trace to reach its steady speed; without, one, at the same steady speed.
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "tollgate.runtimeconfig.json")));
        var options = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        Assert.False(options.GetProperty("System.Runtime.TieredPGO").GetBoolean());
    }

    [Fact]
    public void TheProgram_RunsTheServerGarbageCollector()
    {
        // Measured in docs/benchmarks.md (tenth pass): the workstation collector ran 8-12 full background collections in
        // two warm replays of the trace and paused about 10 µs per event; the server collector none, a quarter of the pause.
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "tollgate.runtimeconfig.json")));
        var options = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        Assert.True(options.GetProperty("System.GC.Server").GetBoolean());
    }
}
