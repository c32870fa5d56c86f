using System.ClientModel;
using OpenAI;
using OpenAI.Chat;

namespace Tollgate.Gateway.Tests;

/// <summary>The official OpenAI .NET SDK as the client, through the gateway to the fake upstream; charges read from the ledger.</summary>
public sealed class OpenAiSdkTests
{
    // 1,200 input (1,000 cached at 0.1x) and 300 output (100 reasoning at 1.5x), credits per 1K:
    // 200 x 1 + 1,000 x 0.1 + 200 x 2 + 100 x 3 = 0.2 + 0.1 + 0.4 + 0.3 = 1.0
    private const decimal ChatCost = 1.0m;

    private static ChatClient Client(GatewayHost host, string model = "test-chat") =>
        new(model, new ApiKeyCredential(host.Key), new OpenAIClientOptions { Endpoint = new Uri(host.Address, "openai/v1") });

    [Theory]
    [MemberData(nameof(GatewayHost.Engines), MemberType = typeof(GatewayHost))]
    public async Task StreamedChat_CachedAndReasoningTokens_ChargedExactly(string engine)
    {
        await using var host = await GatewayHost.StartAsync(engine);
        var text = new System.Text.StringBuilder();
        ChatTokenUsage? usage = null;
        await foreach (var update in Client(host).CompleteChatStreamingAsync([new UserChatMessage("Say hello")], new ChatCompletionOptions { MaxOutputTokenCount = 500 }))
        {
            text.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
            usage ??= update.Usage;
        }

        Assert.Equal("Hello world", text.ToString());
        Assert.Equal(1200, usage?.InputTokenCount);
        Assert.Equal(100, usage?.OutputTokenDetails.ReasoningTokenCount);
        await Calls.EventuallyAsync(async () => await host.HeldAsync() == 0m);
        Assert.Equal(1000m - ChatCost, await host.AvailableAsync());

        var sent = host.Upstream.Requests.Single();
        Assert.Equal("ok", sent.Body["model"]!.GetValue<string>());
        Assert.True(sent.Body["stream_options"]!["include_usage"]!.GetValue<bool>());
        Assert.Equal($"Bearer {GatewayHost.ProviderKey}", sent.Authorization);
    }

    [Fact]
    public async Task NonStreamedChat_ChargedExactly()
    {
        await using var host = await GatewayHost.StartAsync();
        ChatCompletion completion = await Client(host).CompleteChatAsync([new UserChatMessage("Say hello")]);
        Assert.Equal("Hello world", completion.Content[0].Text);
        Assert.Equal(1000, completion.Usage.InputTokenDetails.CachedTokenCount);
        Assert.Equal(1000m - ChatCost, await host.AvailableAsync());
        Assert.Equal(0m, await host.HeldAsync());
    }

    [Fact]
    public async Task Chat_FirstUpstreamsFail_FailsOverAndChargesOnce()
    {
        await using var host = await GatewayHost.StartAsync();
        ChatCompletion completion = await Client(host, "failover").CompleteChatAsync([new UserChatMessage("Say hello")]);
        Assert.Equal("Hello world", completion.Content[0].Text);
        Assert.Equal(1, host.Upstream.CallsTo("fail-500"));
        Assert.Equal(1, host.Upstream.CallsTo("ok"));
        Assert.Equal(1000m - ChatCost, await host.AvailableAsync());
    }

    [Fact]
    public async Task Chat_UpstreamError_ChargesNothing()
    {
        await using var host = await GatewayHost.StartAsync();
        var error = await Assert.ThrowsAsync<ClientResultException>(() => Client(host, "broken").CompleteChatAsync([new UserChatMessage("Say hello")]));
        Assert.Equal(502, error.Status);
        Assert.Equal(1000m, await host.AvailableAsync());
        Assert.Equal(0m, await host.HeldAsync());
    }
}
