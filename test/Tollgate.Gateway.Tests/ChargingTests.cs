using System.Net;
using System.Text.Json.Nodes;

namespace Tollgate.Gateway.Tests;

/// <summary>How calls are charged: priority, channel, idempotency, insufficient funds, upstream errors. Raw HTTP for headers.</summary>
public sealed class ChargingTests
{
    private const decimal ChatCost = 1.0m;

    [Fact]
    public async Task Chat_PriorityHeader_ChargedAt1Point8()
    {
        await using var host = await GatewayHost.StartAsync();
        var (response, _) = await Calls.SendAsync(host.Gateway(), Calls.Post("openai/v1/chat/completions", Calls.Chat("test-chat"), ("X-Tollgate-Priority", "true")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1000m - (ChatCost * 1.8m), await host.AvailableAsync());
        var stored = await host.Operator.GetEventAsync(GatewayHost.Tenant, Calls.EventId(response));
        Assert.Contains(stored.Result.Charge!.Lines[0].Modifiers, m => m.Kind == "attribute");
    }

    [Fact]
    public async Task Chat_ServiceTierPriority_ChargedAt1Point8()
    {
        await using var host = await GatewayHost.StartAsync();
        var body = Calls.Chat("test-chat");
        body["service_tier"] = "priority";
        var (response, _) = await Calls.SendAsync(host.Gateway(), Calls.Post("openai/v1/chat/completions", body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1000m - 1.8m, await host.AvailableAsync());
    }

    [Fact]
    public async Task Chat_KeyOnPartnerChannelForEndUser_ChannelDiscountAndSubject()
    {
        await using var host = await GatewayHost.StartAsync();
        var key = await host.CreateKeyAsync(new JsonObject { ["name"] = "partner", ["channel"] = "partner", ["subject"] = "user-7" });
        var (response, _) = await Calls.SendAsync(host.Gateway(key), Calls.Post("openai/v1/chat/completions", Calls.Chat("test-chat")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1000m - 0.5m, await host.AvailableAsync());
        var stored = await host.Operator.GetEventAsync(GatewayHost.Tenant, Calls.EventId(response));
        Assert.Equal("partner", stored.Event!.Value.GetProperty("channel").GetString());
        Assert.Equal("user-7", stored.Event!.Value.GetProperty("subject").GetString());
        Assert.Equal("test-chat", stored.Event!.Value.GetProperty("model").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Chat_CallOutlivesItsHold_StillChargedOnceAndNothingStaysHeld(bool swept)
    {
        // A strict tenant: the expired hold's funds must come back before the call is charged from the balances.
        await using var host = await GatewayHost.StartAsync(credits: 1.5m, strict: true);
        host.Upstream.WhileWorking = () =>
        {
            host.Clock.Advance(NodaTime.Duration.FromMinutes(16));
            if (swept)
            {
                host.Store.SweepAsync().GetAwaiter().GetResult();
            }
        };

        var (answer, _) = await Calls.SendAsync(host.Gateway(), Calls.Post("openai/v1/chat/completions", Calls.Chat("test-chat"), ("Idempotency-Key", "long-call")));

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(ChatCost, (await host.Operator.GetEventAsync(GatewayHost.Tenant, "long-call")).Result.Amount);
        Assert.Equal(1.5m - ChatCost, await host.AvailableAsync());
        Assert.Equal(0m, await host.HeldAsync());
        Assert.True((await host.Store.CheckAsync()).Clean);
    }

    [Fact]
    public async Task Chat_RetryWithSameIdempotencyKey_ChargedOnce()
    {
        await using var host = await GatewayHost.StartAsync();
        var (first, _) = await Calls.SendAsync(host.Gateway(), Calls.Post("openai/v1/chat/completions", Calls.Chat("test-chat"), ("Idempotency-Key", "call-42")));
        var (again, body) = await Calls.SendAsync(host.Gateway(), Calls.Post("openai/v1/chat/completions", Calls.Chat("test-chat"), ("Idempotency-Key", "call-42")));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("call-42", Calls.EventId(first));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("idempotency_key_reused", JsonNode.Parse(body)!["error"]!["code"]!.GetValue<string>());
        Assert.Equal(1, host.Upstream.CallsTo("ok"));
        Assert.Equal(1000m - ChatCost, await host.AvailableAsync());
        Assert.Equal(ChatCost, (await host.Operator.GetEventAsync(GatewayHost.Tenant, "call-42")).Result.Amount);
    }

    [Fact]
    public async Task Chat_SameIdempotencyKeyWhileFirstRuns_409AndOneUpstreamCall()
    {
        await using var host = await GatewayHost.StartAsync();
        using var http = host.Gateway();
        var first = await http.SendAsync(Calls.Post("openai/v1/chat/completions", Calls.Chat("slow-finish", stream: true), ("Idempotency-Key", "call-44")), HttpCompletionOption.ResponseHeadersRead);
        var (second, body) = await Calls.SendAsync(host.Gateway(), Calls.Post("openai/v1/chat/completions", Calls.Chat("slow-finish", stream: true), ("Idempotency-Key", "call-44")));
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("in progress", JsonNode.Parse(body)!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        await first.Content.ReadAsStringAsync();
        await Calls.EventuallyAsync(async () => await host.HeldAsync() == 0m);
        Assert.Equal(1, host.Upstream.CallsTo("slow"));
        Assert.Equal(999m, await host.AvailableAsync());
    }

    [Fact]
    public async Task Chat_RetryAfterUpstreamError_ChargedOnceWhenItSucceeds()
    {
        await using var host = await GatewayHost.StartAsync();
        var (failed, _) = await Calls.SendAsync(host.Gateway(), Calls.Post("openai/v1/chat/completions", Calls.Chat("broken"), ("Idempotency-Key", "call-43")));
        var (retried, _) = await Calls.SendAsync(host.Gateway(), Calls.Post("openai/v1/chat/completions", Calls.Chat("test-chat"), ("Idempotency-Key", "call-43")));
        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(1000m - ChatCost, await host.AvailableAsync());
    }

    [Fact]
    public async Task Chat_InsufficientFunds_402WithoutUpstreamCall()
    {
        // The reservation is the counted input plus max_tokens; 0.001 credits do not even cover the input (7 tokens), so
        // capping max_tokens cannot help.
        await using var host = await GatewayHost.StartAsync(credits: 0.001m);
        var (response, body) = await Calls.SendAsync(host.Gateway(), Calls.Post("openai/v1/chat/completions", Calls.Chat("test-chat")));
        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        Assert.Equal("insufficient_quota", JsonNode.Parse(body)!["error"]!["type"]!.GetValue<string>());
        Assert.Empty(host.Upstream.Requests);
        Assert.Equal(0.001m, await host.AvailableAsync());
    }

    [Fact]
    public async Task Chat_ProviderRefusesRequest_RelayedAndChargesNothing()
    {
        await using var host = await GatewayHost.StartAsync();
        var (response, body) = await Calls.SendAsync(host.Gateway(), Calls.Post("openai/v1/chat/completions", Calls.Chat("rejected")));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("bad", JsonNode.Parse(body)!["error"]!["code"]!.GetValue<string>());
        Assert.Equal(1000m, await host.AvailableAsync());
        Assert.Equal("released", (await host.Operator.GetReservationAsync(GatewayHost.Tenant, "gw:" + Calls.EventId(response))).Status);
    }

    [Theory]
    [InlineData("nope", HttpStatusCode.Unauthorized, "invalid_api_key")]
    [InlineData(null, HttpStatusCode.NotFound, "model_not_found")]
    public async Task Chat_BadKeyOrUnknownModel_OpenAiErrorShape(string? key, HttpStatusCode status, string code)
    {
        await using var host = await GatewayHost.StartAsync();
        var (response, body) = await Calls.SendAsync(host.Gateway(key), Calls.Post("openai/v1/chat/completions", Calls.Chat(key is null ? "gpt-unknown" : "test-chat")));
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, JsonNode.Parse(body)!["error"]!["code"]!.GetValue<string>());
        Assert.Empty(host.Upstream.Requests);
    }
}
