using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Tollgate.Core.Estimation;

namespace Tollgate.Gateway.Tests;

/// <summary>
/// A caller who cannot afford the output it asks for gets the output it can afford: the gateway caps max_tokens to what
/// the balance (strict tenant) or the key's hard budget covers, and the call cannot overspend. Prices: 1 credit per 1K
/// input tokens, 2 per 1K output; the "fill" upstream uses its whole output limit.
/// </summary>
public sealed class CapTests
{
    /// <summary>The input of <see cref="Calls.Chat"/> as the gateway counts it (the message text and a newline).</summary>
    private static readonly long InputTokens = TokenEstimator.Count("Say hello to the world.\n", TokenEstimator.O200kBase, null);

    /// <summary>What the input plus <paramref name="output"/> tokens cost.</summary>
    private static decimal Cost(long output) => ((InputTokens * 1m) + (output * 2m)) / 1000m;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Chat_StrictTenantFundsFor100OutputTokensAsksFor4000_UpstreamGetsMaxTokens100(bool stream)
    {
        await using var host = await GatewayHost.StartAsync(credits: Cost(100), strict: true);
        var (response, body) = await Calls.SendAsync(host.Gateway(), Calls.Post("openai/v1/chat/completions", Calls.Chat("fill", stream, maxTokens: 4000)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty(body);
        var sent = Assert.Single(host.Upstream.Requests).Body;
        Assert.Equal(100, sent["max_tokens"]!.GetValue<long>());
        Assert.Null(sent["max_completion_tokens"]);
        await Calls.EventuallyAsync(async () => await host.HeldAsync() == 0m);
        Assert.Equal(Cost(100), (await host.Operator.GetEventAsync(GatewayHost.Tenant, Calls.EventId(response))).Result.Amount);
        Assert.Equal(0m, await host.AvailableAsync());
        Assert.True((await host.Store.CheckAsync()).Clean);
    }

    [Fact]
    public async Task Chat_KeyBudgetFor100OutputTokens_CappedAndSpendsAtMostTheBudget()
    {
        await using var host = await GatewayHost.StartAsync();
        var limit = Cost(100).ToString(CultureInfo.InvariantCulture);
        var key = await host.CreateKeyAsync(new JsonObject { ["name"] = "capped", ["budget"] = new JsonObject { ["limit"] = limit, ["period"] = "month" } });
        var chat = Calls.Chat("fill", maxTokens: 4000);
        chat.Remove("max_tokens");
        chat["max_completion_tokens"] = 4000;
        var (response, _) = await Calls.SendAsync(host.Gateway(key), Calls.Post("openai/v1/chat/completions", chat));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(100, Assert.Single(host.Upstream.Requests).Body["max_completion_tokens"]!.GetValue<long>());
        Assert.Equal(1000m - Cost(100), await host.AvailableAsync());

        // The budget is spent: not even one output token fits any more.
        var (refused, _) = await Calls.SendAsync(host.Gateway(key), Calls.Post("openai/v1/chat/completions", Calls.Chat("fill", maxTokens: 4000)));
        Assert.Equal(HttpStatusCode.PaymentRequired, refused.StatusCode);
        Assert.Single(host.Upstream.Requests);
        Assert.True((await host.Store.CheckAsync()).Clean);
    }

    [Fact]
    public async Task Chat_FundsBelowInputPlusOneToken_402WithoutUpstreamCall()
    {
        await using var host = await GatewayHost.StartAsync(credits: Cost(1) - 0.00000001m, strict: true);
        var (response, _) = await Calls.SendAsync(host.Gateway(), Calls.Post("openai/v1/chat/completions", Calls.Chat("fill", maxTokens: 4000)));
        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        Assert.Empty(host.Upstream.Requests);
        Assert.Equal(Cost(1) - 0.00000001m, await host.AvailableAsync());
    }

    [Fact]
    public async Task Messages_StrictTenantFundsFor100OutputTokens_AnthropicMaxTokensRewrittenTo100()
    {
        await using var host = await GatewayHost.StartAsync(credits: Cost(100), strict: true);
        using var http = new HttpClient { BaseAddress = host.Address };
        var body = new JsonObject
        {
            ["model"] = "claude",
            ["max_tokens"] = 4000,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Say hello to the world." }),
        };
        var (response, _) = await Calls.SendAsync(http, Calls.Post("anthropic/v1/messages", body, ("x-api-key", host.Key)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(100, Assert.Single(host.Upstream.Requests).Body["max_tokens"]!.GetValue<long>());
        Assert.True((await host.Store.CheckAsync()).Clean);
    }

    [Fact]
    public async Task Chat_FundsForExactlyOneOutputToken_UpstreamGetsMaxTokens1()
    {
        await using var host = await GatewayHost.StartAsync(credits: Cost(1), strict: true);
        var (response, _) = await Calls.SendAsync(host.Gateway(), Calls.Post("openai/v1/chat/completions", Calls.Chat("fill", maxTokens: 4000)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, Assert.Single(host.Upstream.Requests).Body["max_tokens"]!.GetValue<long>());
        Assert.Equal(0m, await host.AvailableAsync());
    }
}
