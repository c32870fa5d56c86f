using System.Net;
using System.Text.Json.Nodes;
using Anthropic;
using Anthropic.Models.Messages;

namespace Tollgate.Gateway.Tests;

/// <summary>Anthropic's Messages API through the gateway: the official Anthropic C# SDK, and raw HTTP for headers and errors.</summary>
public sealed class AnthropicTests
{
    // 50 uncached + 2,000 cache writes (1.25x) + 1,000 cache reads (0.1x) input, 400 output, credits per 1K:
    // 0.05 + 2.5 + 0.1 + 0.8 = 3.45
    private const decimal ClaudeCost = 3.45m;

    private static AnthropicClient Client(GatewayHost host) =>
        new() { ApiKey = host.Key, BaseUrl = new Uri(host.Address, "anthropic").ToString().TrimEnd('/'), MaxRetries = 0 };

    private static MessageCreateParams Request() => new()
    {
        MaxTokens = 500,
        Messages = [new UserMessageParam("Say hello")],
        Model = "claude",
    };

    [Theory]
    [MemberData(nameof(GatewayHost.Engines), MemberType = typeof(GatewayHost))]
    public async Task StreamedMessage_CacheWritesAndReads_ChargedExactly(string engine)
    {
        await using var host = await GatewayHost.StartAsync(engine);
        var events = 0;
        await foreach (var _ in Client(host).Messages.CreateStreaming(Request()))
        {
            events++;
        }

        Assert.Equal(7, events);
        await Calls.EventuallyAsync(async () => await host.HeldAsync() == 0m);
        Assert.Equal(1000m - ClaudeCost, await host.AvailableAsync());
        var sent = host.Upstream.Requests.Single();
        Assert.Equal("claude-ok", sent.Body["model"]!.GetValue<string>());
        Assert.Equal(GatewayHost.ProviderKey, sent.ApiKey);
    }

    [Fact]
    public async Task Message_NonStreamed_ChargedExactly()
    {
        await using var host = await GatewayHost.StartAsync();
        var message = await Client(host).Messages.Create(Request());
        Assert.Equal(1000, message.Usage.CacheReadInputTokens);
        Assert.Equal(1000m - ClaudeCost, await host.AvailableAsync());
    }

    [Fact]
    public async Task Message_RawStream_CacheLinesOnTheCharge()
    {
        await using var host = await GatewayHost.StartAsync();
        using var http = new HttpClient { BaseAddress = host.Address };
        var body = new JsonObject
        {
            ["model"] = "claude",
            ["max_tokens"] = 500,
            ["stream"] = true,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Say hello" }),
        };
        var (response, text) = await Calls.SendAsync(http, Calls.Post("anthropic/v1/messages", body, ("x-api-key", host.Key), ("anthropic-version", "2023-06-01")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("event: message_stop", text, StringComparison.Ordinal);
        await Calls.EventuallyAsync(async () => await host.HeldAsync() == 0m);
        var lines = (await host.Operator.GetEventAsync(GatewayHost.Tenant, Calls.EventId(response))).Result.Charge!.Lines;
        Assert.Equal(50m, lines.Single(l => l.Meter == "input_tokens").Quantity); // the rest of 3,050 after its cache parts
        Assert.Equal(2000m, lines.Single(l => l.Meter == "cache_write_tokens").Quantity);
        Assert.Equal(1000m, lines.Single(l => l.Meter == "cached_input_tokens").Quantity);
        Assert.All(lines, l => Assert.NotEqual(true, l.Estimated));
    }

    [Fact]
    public async Task MessageStream_ClientLeavesUnderCut_InputExactOutputCountedEstimated()
    {
        await using var host = await GatewayHost.StartAsync();
        using var http = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = host.Address };
        var body = new JsonObject
        {
            ["model"] = "claude-cut",
            ["max_tokens"] = 500,
            ["stream"] = true,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Say hello" }),
        };
        var response = await http.SendAsync(Calls.Post("anthropic/v1/messages", body, ("x-api-key", host.Key)), HttpCompletionOption.ResponseHeadersRead);
        var eventId = Calls.EventId(response);
        using (var reader = new StreamReader(await response.Content.ReadAsStreamAsync()))
        {
            var deltas = 0;
            while (deltas < 2 && await reader.ReadLineAsync() is { } line)
            {
                deltas += line == "event: content_block_delta" ? 1 : 0;
            }
        }

        response.Dispose();
        await Calls.EventuallyAsync(async () => await host.HeldAsync() == 0m);
        var lines = (await host.Operator.GetEventAsync(GatewayHost.Tenant, eventId)).Result.Charge!.Lines;

        // message_start's input counts stay exact; the output is what was streamed, counted, and marked so.
        Assert.Equal(2000m, lines.Single(l => l.Meter == "cache_write_tokens").Quantity);
        Assert.NotEqual(true, lines.Single(l => l.Meter == "cache_write_tokens").Estimated);
        var output = lines.Single(l => l.Meter == "output_tokens");
        Assert.True(output.Estimated);
        Assert.InRange(output.Quantity, 2m, 20m);
    }

    [Theory]
    [InlineData("wrong", "claude", HttpStatusCode.Unauthorized, "authentication_error")]
    [InlineData(null, "test-missing", HttpStatusCode.NotFound, "not_found_error")]
    [InlineData(null, "test-chat", HttpStatusCode.NotFound, "not_found_error")]
    public async Task Message_BadKeyOrModel_AnthropicErrorShape(string? key, string model, HttpStatusCode status, string type)
    {
        await using var host = await GatewayHost.StartAsync();
        using var http = new HttpClient { BaseAddress = host.Address };
        var body = new JsonObject { ["model"] = model, ["max_tokens"] = 10, ["messages"] = new JsonArray() };
        var (response, text) = await Calls.SendAsync(http, Calls.Post("anthropic/v1/messages", body, ("x-api-key", key ?? host.Key)));
        Assert.Equal(status, response.StatusCode);
        var error = JsonNode.Parse(text)!;
        Assert.Equal("error", error["type"]!.GetValue<string>());
        Assert.Equal(type, error["error"]!["type"]!.GetValue<string>());
    }
}
