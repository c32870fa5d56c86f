using System.ClientModel;
using System.Net;
using OpenAI;
using OpenAI.Audio;
using OpenAI.Embeddings;
using OpenAI.Images;
using OpenAI.Responses;

namespace Tollgate.Gateway.Tests;

/// <summary>The other OpenAI endpoints through the gateway with the official SDK: Responses, embeddings, images, speech.</summary>
#pragma warning disable OPENAI001 // the Responses client is marked experimental in the SDK
public sealed class OpenAiEndpointTests
{
    private static OpenAIClient Client(GatewayHost host) =>
        new(new ApiKeyCredential(host.Key), new OpenAIClientOptions { Endpoint = new Uri(host.Address, "openai/v1") });

    [Fact]
    public async Task ResponsesStream_CachedAndReasoning_ChargedExactly()
    {
        await using var host = await GatewayHost.StartAsync();
        var responses = Client(host).GetResponsesClient();
        var text = new System.Text.StringBuilder();
        var options = new CreateResponseOptions("test-chat", [ResponseItem.CreateUserMessageItem("Say hello")]) { MaxOutputTokenCount = 500, StreamingEnabled = true };
        await foreach (var update in await responses.CreateResponseStreamingAsync(options))
        {
            if (update is StreamingResponseOutputTextDeltaUpdate delta)
            {
                text.Append(delta.Delta);
            }
        }

        Assert.Equal("Hello world", text.ToString());
        await Calls.EventuallyAsync(async () => await host.HeldAsync() == 0m);
        Assert.Equal(999m, await host.AvailableAsync()); // the chat numbers: 0.2 + 0.1 + 0.4 + 0.3
    }

    [Fact]
    public async Task Responses_NonStreamed_ChargedExactly()
    {
        await using var host = await GatewayHost.StartAsync();
        var response = await Client(host).GetResponsesClient().CreateResponseAsync("test-chat", "Say hello", null);
        Assert.Equal("Hello world", response.Value.GetOutputText());
        Assert.Equal(999m, await host.AvailableAsync());
    }

    [Fact]
    public async Task Embeddings_PromptTokens_ChargedExactly()
    {
        await using var host = await GatewayHost.StartAsync();
        var embedding = await Client(host).GetEmbeddingClient("embed").GenerateEmbeddingAsync("a sentence to embed");
        Assert.Equal(2, embedding.Value.ToFloats().Length);
        Assert.Equal(1000m - 1.0m, await host.AvailableAsync()); // 2,000 x 0.5 / 1K
    }

    [Fact]
    public async Task Images_TwoHdImages_ChargedPerImageWithQualityMultiplier()
    {
        await using var host = await GatewayHost.StartAsync();
        var images = await Client(host).GetImageClient("image").GenerateImagesAsync("a cat", 2, new ImageGenerationOptions { Quality = GeneratedImageQuality.High, Size = GeneratedImageSize.W1024xH1024 });
        Assert.Equal(2, images.Value.Count);

        // The SDK sends High as "hd": 2 images x 4 credits x 2.
        Assert.Equal("hd", host.Upstream.Requests.Single().Body["quality"]!.GetValue<string>());
        Assert.Equal(1000m - 16m, await host.AvailableAsync());
        var body = new System.Text.Json.Nodes.JsonObject { ["model"] = "image", ["prompt"] = "a cat" };
        var (response, _) = await Calls.SendAsync(host.Gateway(), Calls.Post("openai/v1/images/generations", body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1000m - 16m - 4m, await host.AvailableAsync());
    }

    [Fact]
    public async Task Speech_Characters_ChargedExactlyAndAudioRelayed()
    {
        await using var host = await GatewayHost.StartAsync();
        var audio = await Client(host).GetAudioClient("tts").GenerateSpeechAsync("Hello, world!", GeneratedSpeechVoice.Alloy);
        Assert.Equal(new byte[] { 0xFF, 0xFB, 0x90, 0x00 }, audio.Value.ToArray());
        Assert.Equal(1000m - 0.195m, await host.AvailableAsync()); // 13 characters x 15 / 1K
    }
}
