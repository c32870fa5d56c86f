using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using NodaTime;

namespace Tollgate.Gateway.Tests;

/// <summary>Budgets per end user (across all their keys, enforced inside the reservation) and soft limits per key (an alert once per period).</summary>
public sealed class BudgetTests
{
    // "Hello, world!" is 13 characters at 15 credits per 1K: 0.195 a call, reserved and charged exactly.
    private const decimal SpeechCost = 0.195m;

    private static HttpRequestMessage Speech() =>
        Calls.Post("openai/v1/audio/speech", new JsonObject { ["model"] = "tts", ["input"] = "Hello, world!", ["voice"] = "alloy" });

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static async Task SetUserBudgetAsync(GatewayHost host, string subject, decimal limit, string period)
    {
        using var response = await host.Admin().PutAsJsonAsync($"v1/tenants/{GatewayHost.Tenant}/gateway-user-budgets/{subject}", new JsonObject { ["limit"] = Text(limit), ["period"] = period });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task UserBudget_TwoKeysOfOneEndUser_ShareItAndOtherKeysAreNotLimited()
    {
        await using var host = await GatewayHost.StartAsync();
        await SetUserBudgetAsync(host, "user-7", 2 * SpeechCost, "month");
        var phone = host.Gateway(await host.CreateKeyAsync(new JsonObject { ["name"] = "phone", ["subject"] = "user-7" }));
        var laptop = host.Gateway(await host.CreateKeyAsync(new JsonObject { ["name"] = "laptop", ["subject"] = "user-7" }));
        var other = host.Gateway(await host.CreateKeyAsync(new JsonObject { ["name"] = "other", ["subject"] = "user-8" }));

        Assert.Equal(HttpStatusCode.OK, (await phone.SendAsync(Speech())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await laptop.SendAsync(Speech())).StatusCode);
        var (refused, body) = await Calls.SendAsync(phone, Speech());
        Assert.Equal(HttpStatusCode.PaymentRequired, refused.StatusCode);
        Assert.Contains("end user 'user-7'", JsonNode.Parse(body)!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await other.SendAsync(Speech())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Gateway().SendAsync(Speech())).StatusCode);
        Assert.Equal(4, host.Upstream.Requests.Count);

        var listed = await Calls.JsonAsync(await host.Admin().GetAsync($"v1/tenants/{GatewayHost.Tenant}/gateway-user-budgets"));
        Assert.Equal("0.39", listed["budgets"]![0]!["limit"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(GatewayHost.Engines), MemberType = typeof(GatewayHost))]
    public async Task UserBudget_200ConcurrentCallsOverTwoKeysAgainstBudgetFor50_ServesExactly50(string engine)
    {
        await using var host = await GatewayHost.StartAsync(engine);
        await SetUserBudgetAsync(host, "user-7", 50 * SpeechCost, "lifetime");
        HttpClient[] keys =
        [
            host.Gateway(await host.CreateKeyAsync(new JsonObject { ["name"] = "a", ["subject"] = "user-7" })),
            host.Gateway(await host.CreateKeyAsync(new JsonObject { ["name"] = "b", ["subject"] = "user-7", ["budget"] = new JsonObject { ["limit"] = "100", ["period"] = "day" } })),
        ];
        var statuses = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            using var response = await keys[i % 2].SendAsync(Speech());
            return response.StatusCode;
        }));

        Assert.Equal(50, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(50, host.Upstream.Requests.Count);
        Assert.Equal(0m, await host.HeldAsync());
        Assert.Equal(1000m - (50 * SpeechCost), await host.AvailableAsync());
        Assert.True((await host.Store.CheckAsync()).Clean);
    }

    [Fact]
    public async Task SoftLimit_Passed_OneAlertPerPeriodAndNoCallRefused()
    {
        await using var host = await GatewayHost.StartAsync();
        var (hook, _) = await host.Alerts.CreateWebhookAsync(GatewayHost.Tenant, "https://hooks.example/tollgate", ["gateway_budget_soft_limit"]);

        var key = await host.CreateKeyAsync(new JsonObject { ["name"] = "watched", ["soft_limit"] = new JsonObject { ["limit"] = Text(2 * SpeechCost), ["period"] = "day" } });
        using var http = host.Gateway(key);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(Speech())).StatusCode);
        }

        var alerts = await host.Alerts.ListAlertsAsync(GatewayHost.Tenant);
        var alert = Assert.Single(alerts, a => a.Kind == "gateway_budget_soft_limit");
        var data = JsonNode.Parse(alert.Body)!["data"]!;
        Assert.Equal("2026-03-01", data["period"]!.GetValue<string>());
        Assert.Equal("0.39", data["spent"]!.GetValue<string>());

        host.Clock.Advance(Duration.FromDays(1));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(Speech())).StatusCode);
        }

        Assert.Equal(2, (await host.Alerts.ListAlertsAsync(GatewayHost.Tenant)).Count(a => a.Kind == "gateway_budget_soft_limit"));
        Assert.Equal(2, (await host.Alerts.ListDeliveriesAsync(hook.WebhookId)).Count);
        Assert.Equal(1000m - (8 * SpeechCost), await host.AvailableAsync());
    }
}
