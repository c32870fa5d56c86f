using System.Net;
using System.Text.Json.Nodes;
using NodaTime;

namespace Tollgate.Gateway.Tests;

/// <summary>Key budgets enforced inside the reservation, under concurrency, and requests-per-minute limits.</summary>
public sealed class LimitTests
{
    // "Hello, world!" is 13 characters at 15 credits per 1K: 0.195 a call, reserved and charged exactly.
    private const decimal SpeechCost = 0.195m;

    private static HttpRequestMessage Speech() =>
        Calls.Post("openai/v1/audio/speech", new JsonObject { ["model"] = "tts", ["input"] = "Hello, world!", ["voice"] = "alloy" });

    [Theory]
    [MemberData(nameof(GatewayHost.Engines), MemberType = typeof(GatewayHost))]
    public async Task Budget_200ConcurrentCallsAgainstBudgetFor50_ServesExactly50(string engine)
    {
        await using var host = await GatewayHost.StartAsync(engine);
        var key = await host.CreateKeyAsync(new JsonObject { ["name"] = "budgeted", ["budget"] = new JsonObject { ["limit"] = (50 * SpeechCost).ToString(System.Globalization.CultureInfo.InvariantCulture), ["period"] = "lifetime" } });
        using var http = host.Gateway(key);
        var statuses = await Task.WhenAll(Enumerable.Range(0, 200).Select(async _ =>
        {
            using var response = await http.SendAsync(Speech());
            return response.StatusCode;
        }));

        Assert.Equal(50, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(150, statuses.Count(s => s == HttpStatusCode.PaymentRequired));
        Assert.Equal(50, host.Upstream.Requests.Count);
        Assert.Equal(0m, await host.HeldAsync());
        Assert.Equal(1000m - (50 * SpeechCost), await host.AvailableAsync());
        Assert.True((await host.Store.CheckAsync()).Clean);
    }

    [Fact]
    public async Task Budget_ThreeNodesSharingPostgres_200ConcurrentCallsServeExactly50()
    {
        await using var first = await GatewayHost.StartAsync(GatewayHost.Postgres);
        var key = await first.CreateKeyAsync(new JsonObject { ["name"] = "budgeted", ["budget"] = new JsonObject { ["limit"] = (50 * SpeechCost).ToString(System.Globalization.CultureInfo.InvariantCulture), ["period"] = "month" } });
        await using var second = await first.JoinAsync();
        await using var third = await first.JoinAsync();
        GatewayHost[] nodes = [first, second, third];

        // One call per node first, with a key of no budget, so that no node is still starting when the burst comes.
        var warm = await first.CreateKeyAsync(new JsonObject { ["name"] = "warm-up" });
        foreach (var node in nodes)
        {
            using var gateway = node.Gateway(warm);
            Assert.Equal(HttpStatusCode.OK, (await gateway.SendAsync(Speech())).StatusCode);
        }

        var clients = nodes.Select(n => n.Gateway(key)).ToArray();
        var statuses = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            using var response = await clients[i % 3].SendAsync(Speech());
            return (Node: i % 3, response.StatusCode);
        }));

        // The budget is shared, not kept per node (50 per node would serve up to 150). How the 50 divide between the
        // nodes is a race: each group-commits its calls, and one node's group may take them all.
        Assert.Equal(50, statuses.Count(s => s.StatusCode == HttpStatusCode.OK));
        Assert.Equal(150, statuses.Count(s => s.StatusCode == HttpStatusCode.PaymentRequired));
        Assert.All(Enumerable.Range(0, 3), n => Assert.Equal(statuses.Count(s => s.Node == n && s.StatusCode == HttpStatusCode.OK), nodes[n].Upstream.Requests.Count - 1));
        Assert.Equal(50 + 3, nodes.Sum(n => n.Upstream.Requests.Count));
        Assert.Equal(1000m - (53 * SpeechCost), await first.AvailableAsync());
        Assert.True((await first.Store.CheckAsync()).Clean);
    }

    [Fact]
    public async Task Budget_DailyLimitReached_RefusedUntilTheTenantsNextDay()
    {
        await using var host = await GatewayHost.StartAsync();
        var key = await host.CreateKeyAsync(new JsonObject { ["name"] = "daily", ["budget"] = new JsonObject { ["limit"] = "0.4", ["period"] = "day" } });
        using var http = host.Gateway(key);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(Speech())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(Speech())).StatusCode);
        var (refused, body) = await Calls.SendAsync(http, Speech());
        Assert.Equal(HttpStatusCode.PaymentRequired, refused.StatusCode);
        Assert.Contains("budget", JsonNode.Parse(body)!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        host.Clock.Advance(Duration.FromDays(1));
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(Speech())).StatusCode);
        Assert.Equal(1000m - (3 * SpeechCost), await host.AvailableAsync());
    }

    [Theory]
    [MemberData(nameof(GatewayHost.Engines), MemberType = typeof(GatewayHost))]
    public async Task Rate_TokensPerMinuteSpent_429UntilTheNextMinute(string engine)
    {
        await using var host = await GatewayHost.StartAsync(engine);
        var key = await host.CreateKeyAsync(new JsonObject { ["name"] = "tokens", ["tokens_per_minute"] = 2000 });
        using var http = host.Gateway(key);
        HttpRequestMessage Chat() => Calls.Post("openai/v1/chat/completions", Calls.Chat("test-chat"));

        // Each call settles 1,200 + 300 tokens: the second starts under 2,000, the third finds 3,000 spent.
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(Chat())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(Chat())).StatusCode);
        var limited = await http.SendAsync(Chat());
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(60), limited.Headers.RetryAfter!.Delta);
        Assert.Equal(2, host.Upstream.Requests.Count);

        host.Clock.Advance(Duration.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(Chat())).StatusCode);
    }

    [Fact]
    public async Task Rate_OverRequestsPerMinute_429WithRetryAfterUntilTheNextMinute()
    {
        await using var host = await GatewayHost.StartAsync();
        var key = await host.CreateKeyAsync(new JsonObject { ["name"] = "slowpoke", ["requests_per_minute"] = 2 });
        using var http = host.Gateway(key);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(Speech())).StatusCode);
        host.Clock.Advance(Duration.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(Speech())).StatusCode);
        var (limited, body) = await Calls.SendAsync(http, Speech());
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), limited.Headers.RetryAfter!.Delta);
        Assert.Equal("rate_limit_exceeded", JsonNode.Parse(body)!["error"]!["code"]!.GetValue<string>());
        Assert.Equal(2, host.Upstream.Requests.Count);

        host.Clock.Advance(Duration.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(Speech())).StatusCode);
    }
}
