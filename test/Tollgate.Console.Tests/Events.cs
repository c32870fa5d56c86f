using Tollgate.Client.Contracts;

namespace Tollgate.Console.Tests;

/// <summary>Usage events the console tests record through the API; GPTBots prices (GPT-4.1-1M: 0.22 / 0.88 credits per 1K tokens).</summary>
internal static class Events
{
    public static UsageEvent Llm(string id, string tenant, DateTimeOffset time, string model = "GPT-4.1-1M", decimal input = 1000, decimal output = 1000, string? channel = null) =>
        new(id, tenant, time, "llm_text", model, new Dictionary<string, decimal> { ["input_tokens"] = input, ["output_tokens"] = output }, Channel: channel);

    /// <summary>Shanghai local time (the tests' tenants live in Asia/Shanghai).</summary>
    public static DateTimeOffset Local(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.FromHours(8));
}
