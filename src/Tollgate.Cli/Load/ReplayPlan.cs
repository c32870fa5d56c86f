using Tollgate.Client.Contracts;

namespace Tollgate.Cli.Load;

/// <summary>
/// Turns trace calls into usage events, deterministically from a seed: each call gets a tenant, a model of the
/// gptbots price book and a channel by a hash of (seed, source, row, repeat), and an id unique to the run.
/// </summary>
internal sealed class ReplayPlan(int seed, int tenants, string run)
{
    public static readonly string[] Models =
    [
        "GPT-4.1-1M", "GPT-4.1-mini-1M", "GPT-4.1-nano-1M", "GPT-4o-128k", "GPT-4o-mini-128k", "GPT-5.0-Mini-400k", "GPT-5.0-Nano-400k", "GPT-5.2-400k",
    ];

    public static readonly string[] ChannelNames = ["api", "web_sdk", "editor", "workflow_test", "scheduled_trigger"];

    public IEnumerable<string> TenantIds => Enumerable.Range(0, tenants).Select(Tenant);

    public string Tenant(int index) => $"{run}-t{index}";

    public UsageEvent Event(TraceCall call, int repeat, TimeSpan shift)
    {
        var h = Hash(call, repeat);
        return new UsageEvent(
            $"{run}-{call.Source}-{repeat}-{call.Row}",
            Tenant((int)(h % (uint)tenants)),
            call.Time + shift,
            "llm_text",
            Models[(int)((h >> 8) % (uint)Models.Length)],
            new Dictionary<string, decimal> { ["input_tokens"] = call.InputTokens, ["output_tokens"] = call.OutputTokens },
            Channel: ChannelNames[(int)((h >> 16) % (uint)ChannelNames.Length)]);
    }

    private uint Hash(TraceCall call, int repeat)
    {
        // FNV-1a: stable across processes and .NET versions (string.GetHashCode is randomized per process).
        var h = 2166136261u;
        foreach (var c in $"{seed}|{call.Source}|{call.Row}|{repeat}")
        {
            h = unchecked((h ^ c) * 16777619u);
        }

        return h;
    }
}
