using System.Net;
using System.Text.Json.Nodes;
using Tollgate.Core.Estimation;

namespace Tollgate.Gateway.Tests;

/// <summary>Streams: the usage chunk, streams without usage, broken streams and clients that leave under each policy.</summary>
public sealed class StreamTests
{
    private static async Task<(HttpResponseMessage Response, List<string> Events)> StreamAsync(GatewayHost host, JsonObject body)
    {
        var request = Calls.Post("openai/v1/chat/completions", body);
        var response = await host.Gateway().SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var text = await response.Content.ReadAsStringAsync();
        return (response, [.. text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)]);
    }

    [Fact]
    public async Task Stream_ClientDidNotAskForUsage_UsageChunkRemovedAndChargedExactly()
    {
        await using var host = await GatewayHost.StartAsync();
        var (response, events) = await StreamAsync(host, Calls.Chat("test-chat", stream: true));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("data: [DONE]", events[^1]);
        Assert.DoesNotContain(events, e => e.Contains("\"usage\":{", StringComparison.Ordinal));
        Assert.True(host.Upstream.Requests.Single().Body["stream_options"]!["include_usage"]!.GetValue<bool>());
        await Calls.EventuallyAsync(async () => await host.HeldAsync() == 0m);
        Assert.Equal(999m, await host.AvailableAsync());
    }

    [Fact]
    public async Task Stream_WithoutUsage_BilledFromCountedTokensMarkedEstimated()
    {
        await using var host = await GatewayHost.StartAsync();
        var (response, _) = await StreamAsync(host, Calls.Chat("no-usage", stream: true, includeUsage: true));
        await Calls.EventuallyAsync(async () => await host.HeldAsync() == 0m);
        var stored = await host.Operator.GetEventAsync(GatewayHost.Tenant, Calls.EventId(response));
        var lines = stored.Result.Charge!.Lines;
        Assert.All(lines, l => Assert.True(l.Estimated));
        var input = TokenEstimator.Count("Say hello to the world.\n", TokenEstimator.O200kBase, null);
        Assert.Equal(input, lines.Single(l => l.Meter == "input_tokens").Quantity);
        Assert.Equal(2m, lines.Single(l => l.Meter == "output_tokens").Quantity); // "Hello", " world"
        Assert.Equal((input * 1m / 1000m) + (2m * 2m / 1000m), stored.Result.Amount);
    }

    [Fact]
    public async Task Stream_WithoutUsageWithAnImage_ImageCountedByTheTileFormula()
    {
        await using var host = await GatewayHost.StartAsync();
        var body = Calls.Chat("no-usage", stream: true);
        body["messages"]![0]!["content"] = new JsonArray(
            new JsonObject { ["type"] = "text", ["text"] = "What is this?" },
            new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = "https://example.com/cat.png" } });
        var (response, _) = await StreamAsync(host, body);
        await Calls.EventuallyAsync(async () => await host.HeldAsync() == 0m);
        var lines = (await host.Operator.GetEventAsync(GatewayHost.Tenant, Calls.EventId(response))).Result.Charge!.Lines;

        // The largest image a provider bills by tiles, 768 x 2048: 85 + 170 x 2 x 4 = 1,445 tokens, inside input_tokens.
        var text = TokenEstimator.Count("What is this?\n\n", TokenEstimator.O200kBase, null);
        Assert.Equal(text + 1445, lines.Single(l => l.Meter == "input_tokens").Quantity);
        Assert.True(lines.Single(l => l.Meter == "input_tokens").Estimated);
    }

    [Fact]
    public async Task Stream_UpstreamFailsAfterOutput_BillsWhatWasStreamedEstimated()
    {
        await using var host = await GatewayHost.StartAsync();
        var (response, _) = await StreamAsync(host, Calls.Chat("mid-fail", stream: true));
        await Calls.EventuallyAsync(async () => await host.HeldAsync() == 0m);
        var stored = await host.Operator.GetEventAsync(GatewayHost.Tenant, Calls.EventId(response));
        Assert.Equal(1m, stored.Result.Charge!.Lines.Single(l => l.Meter == "output_tokens").Quantity); // "Hello"
        Assert.True(stored.Result.Charge.Lines[0].Estimated);
    }

    [Fact]
    public async Task Stream_UpstreamFailsBeforeOutput_ChargesNothing()
    {
        await using var host = await GatewayHost.StartAsync();
        var (response, _) = await StreamAsync(host, Calls.Chat("fail-early", stream: true));
        await Calls.EventuallyAsync(async () => (await host.Operator.GetReservationAsync(GatewayHost.Tenant, "gw:" + Calls.EventId(response))).Status == "released");
        Assert.Equal(1000m, await host.AvailableAsync());
    }

    [Fact]
    public async Task Stream_ClientLeavesUnderFinish_UpstreamReadToEndAndExactUsageBilled()
    {
        await using var host = await GatewayHost.StartAsync();
        await LeaveAfterTwoEventsAsync(host, "slow-finish");
        await Calls.EventuallyAsync(() => Task.FromResult(!host.Upstream.SlowStreams.IsEmpty));
        Assert.Equal((20, false), host.Upstream.SlowStreams.Single());
        await Calls.EventuallyAsync(async () => await host.HeldAsync() == 0m);
        Assert.Equal(999m, await host.AvailableAsync());
    }

    [Fact]
    public async Task Stream_ClientLeavesUnderCut_UpstreamCancelledAndStreamedTokensBilledEstimated()
    {
        await using var host = await GatewayHost.StartAsync();
        var eventId = await LeaveAfterTwoEventsAsync(host, "slow-cut");
        await Calls.EventuallyAsync(() => Task.FromResult(!host.Upstream.SlowStreams.IsEmpty));
        var (written, cancelled) = host.Upstream.SlowStreams.Single();
        Assert.True(cancelled);
        Assert.InRange(written, 2, 19);
        await Calls.EventuallyAsync(async () => await host.HeldAsync() == 0m);
        var stored = await host.Operator.GetEventAsync(GatewayHost.Tenant, eventId);
        var output = stored.Result.Charge!.Lines.Single(l => l.Meter == "output_tokens");
        Assert.True(output.Estimated);

        // k chunks of "word " count k + 1 tokens (the trailing space is one): at least the two the client read, never
        // more than the upstream wrote. Chunks still in socket buffers when the client left count as streamed.
        Assert.InRange(output.Quantity, 2m, written + 1m);
        Assert.True(written < 20);
        Assert.True(stored.Result.Amount > 0m);
    }

    private static async Task<string> LeaveAfterTwoEventsAsync(GatewayHost host, string model)
    {
        // No draining on dispose: the client really leaves (HttpClient would otherwise read on to reuse the connection).
        using var http = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = host.Address };
        http.DefaultRequestHeaders.Authorization = new("Bearer", host.Key);
        var response = await http.SendAsync(Calls.Post("openai/v1/chat/completions", Calls.Chat(model, stream: true)), HttpCompletionOption.ResponseHeadersRead);
        var eventId = Calls.EventId(response);
        using (var reader = new StreamReader(await response.Content.ReadAsStreamAsync()))
        {
            var seen = 0;
            while (seen < 2 && await reader.ReadLineAsync() is { } line)
            {
                seen += line.StartsWith("data:", StringComparison.Ordinal) ? 1 : 0;
            }
        }

        response.Dispose();
        return eventId;
    }
}
