using Tollgate.Client.Contracts;

namespace Tollgate.Cli.Load;

/// <summary>The synthetic event the load modes send: a GPT-4o-mini call of 1,200 input and 300 output tokens, now.</summary>
internal static class BenchEvent
{
    public static UsageEvent Llm(string id, string tenant) =>
        new(id, tenant, DateTimeOffset.UtcNow, "llm_text", "GPT-4o-mini-128k", new Dictionary<string, decimal> { ["input_tokens"] = 1200, ["output_tokens"] = 300 });
}
