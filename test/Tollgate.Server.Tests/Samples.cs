using Tollgate.Client.Contracts;

namespace Tollgate.Server.Tests;

/// <summary>Events and tenants the tests share; prices from the seeds' GPTBots table (GPT-4.1-1M: 0.22 / 0.88 credits per 1K).</summary>
internal static class Samples
{
    public static readonly DateTimeOffset Time = new(2026, 1, 1, 8, 0, 0, TimeSpan.FromHours(8));

    public static UsageEvent Llm(string id, string tenant, decimal input = 1000, decimal output = 1000, string model = "GPT-4.1-1M", string? channel = null, string? subject = null) =>
        new(id, tenant, Time, "llm_text", model, new Dictionary<string, decimal> { ["input_tokens"] = input, ["output_tokens"] = output }, subject, Channel: channel);

    /// <summary>A tenant with a recharge of <paramref name="credits"/> credits.</summary>
    public static async Task<Tenant> FundedTenantAsync(TestServer server, string id, decimal credits = 1000m, bool strict = false)
    {
        var tenant = await server.Operator.CreateTenantAsync(new TenantRequest(id, TimeZone: "Asia/Shanghai", Strict: strict));
        if (credits > 0)
        {
            await server.Operator.TopUpAsync(id, new TopUpRequest($"{id}-recharge", TopUpKind.Recharge, "credits", credits));
        }

        return tenant;
    }
}
