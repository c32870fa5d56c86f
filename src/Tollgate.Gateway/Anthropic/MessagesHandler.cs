using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Tollgate.Gateway.Charging;
using Tollgate.Gateway.Routes;
using Tollgate.Gateway.Upstreams;

namespace Tollgate.Gateway.Anthropic;

/// <summary><c>POST /anthropic/v1/messages</c>: Anthropic's Messages API, passed through to Anthropic upstreams, with <c>x-api-key</c> auth.</summary>
public sealed class MessagesHandler(GatewayServices services) : ProtocolHandler(services)
{
    private const string DefaultVersion = "2023-06-01";

    protected override string Kind => Upstream.Anthropic;

    protected override string? PresentedKey(HttpRequest request)
    {
        var key = request.Headers["x-api-key"].ToString();
        if (key.Length > 0)
        {
            return key;
        }

        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
    }

    protected override Task WriteErrorAsync(HttpContext context, ProtocolError error, string message) =>
        AnthropicErrors.WriteAsync(context, error, message);

    protected override HttpRequestMessage BuildUpstreamRequest(Upstream upstream, JsonObject body, HttpRequest incoming, bool stream)
    {
        var sent = (JsonObject)body.DeepClone();
        sent["model"] = upstream.Model;
        var request = new HttpRequestMessage(HttpMethod.Post, upstream.Endpoint("messages"))
        {
            Content = new StringContent(sent.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        var version = incoming.Headers["anthropic-version"].ToString();
        request.Headers.TryAddWithoutValidation("anthropic-version", version.Length > 0 ? version : DefaultVersion);
        var beta = incoming.Headers["anthropic-beta"].ToString();
        if (beta.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("anthropic-beta", beta);
        }

        if (upstream.ApiKey is { } key)
        {
            request.Headers.TryAddWithoutValidation("x-api-key", key);
        }

        return request;
    }

    protected override long? RequestedMaxOutput(JsonObject body) => JsonNumbers.Count(body["max_tokens"]);

    protected override void CapOutput(JsonObject body, long max) => body["max_tokens"] = max;

    protected override string InputText(JsonObject body)
    {
        var text = new StringBuilder();
        AppendContent(text, body["system"]);
        foreach (var message in (body["messages"] as JsonArray ?? []).OfType<JsonObject>())
        {
            AppendContent(text, message["content"]);
        }

        if (body["tools"] is JsonArray tools)
        {
            text.Append(tools.ToJsonString());
        }

        return text.ToString();
    }

    protected override int InputImageCount(JsonObject body) => CountTyped(body["messages"], "image");

    // Anthropic's own service_tier values (auto, standard_only) do not buy priority; the gateway's header does.
    protected override bool AsksPriority(JsonObject body) => false;

    protected override CallUsage UsageOf(JsonObject request, JsonElement answer)
    {
        var usage = JsonNumbers.Node(answer.Field("usage"));
        if (AnthropicUsage.Complete(AnthropicUsage.Input(usage), JsonNumbers.Count(usage?["output_tokens"])) is { } meters)
        {
            return CallUsage.Exact(meters);
        }

        var text = new StringBuilder();
        AppendContent(text, JsonNumbers.Node(answer.Field("content")));
        return CallUsage.Counted(text.ToString());
    }

    protected override StreamMeter NewStreamMeter(JsonObject body) => new MessagesStreamMeter();

    private static void AppendContent(StringBuilder text, JsonNode? content)
    {
        if (JsonNumbers.String(content) is { } plain)
        {
            text.Append(plain).Append('\n');
            return;
        }

        foreach (var block in (content as JsonArray ?? []).OfType<JsonObject>())
        {
            text.Append(JsonNumbers.String(block["text"]) ?? JsonNumbers.String(block["thinking"]));
            if (block["input"] is JsonObject input)
            {
                text.Append(input.ToJsonString());
            }

            AppendContent(text, block["content"]);
            text.Append('\n');
        }
    }
}
