using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Tollgate.Gateway.Charging;
using Tollgate.Gateway.Routes;
using Tollgate.Gateway.Upstreams;

namespace Tollgate.Gateway.OpenAi;

/// <summary>
/// <c>POST /openai/v1/chat/completions</c>: OpenAI's Chat Completions, passed through to OpenAI-compatible upstreams.
/// A streamed call always asks the upstream for its usage chunk (<c>stream_options.include_usage</c>), which is
/// dropped again when the client did not ask for it.
/// </summary>
public sealed class ChatCompletionsHandler(GatewayServices services) : ProtocolHandler(services)
{
    protected override string Kind => Upstream.OpenAi;

    protected override string? PresentedKey(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
    }

    protected override Task WriteErrorAsync(HttpContext context, ProtocolError error, string message) =>
        OpenAiErrors.WriteAsync(context, error, message);

    protected override HttpRequestMessage BuildUpstreamRequest(Upstream upstream, JsonObject body, HttpRequest incoming, bool stream)
    {
        var sent = (JsonObject)body.DeepClone();
        sent["model"] = upstream.Model;
        if (stream)
        {
            var options = sent["stream_options"] as JsonObject ?? new JsonObject();
            options["include_usage"] = true;
            sent["stream_options"] = options;
        }

        var request = new HttpRequestMessage(HttpMethod.Post, upstream.Endpoint("chat/completions"))
        {
            Content = new StringContent(sent.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (upstream.ApiKey is { } key)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return request;
    }

    protected override long? RequestedMaxOutput(JsonObject body)
    {
        var max = JsonNumbers.Count(body["max_completion_tokens"]) ?? JsonNumbers.Count(body["max_tokens"]);
        var choices = JsonNumbers.Count(body["n"]) ?? 1;
        return max is { } m ? checked(m * Math.Max(1, choices)) : null;
    }

    protected override string InputText(JsonObject body)
    {
        var text = new StringBuilder();
        if (body["messages"] is JsonArray messages)
        {
            foreach (var message in messages.OfType<JsonObject>())
            {
                AppendContent(text, message["content"]);
                if (message["tool_calls"] is JsonArray calls)
                {
                    foreach (var call in calls)
                    {
                        text.Append(JsonNumbers.String(call?["function"]?["arguments"])).Append('\n');
                    }
                }
            }
        }

        if (body["tools"] is JsonArray tools)
        {
            text.Append(tools.ToJsonString());
        }

        return text.ToString();
    }

    protected override bool AsksPriority(JsonObject body) => JsonNumbers.String(body["service_tier"]) == "priority";

    protected override CallUsage UsageOf(JsonNode? answer)
    {
        if (OpenAiUsage.Map(answer?["usage"]) is { } meters)
        {
            return CallUsage.Exact(meters);
        }

        var text = new StringBuilder();
        foreach (var choice in (answer?["choices"] as JsonArray ?? []).OfType<JsonObject>())
        {
            text.Append(JsonNumbers.String(choice["message"]?["content"]));
        }

        return CallUsage.Counted(text.ToString());
    }

    protected override StreamMeter NewStreamMeter(JsonObject body) =>
        new ChatStreamMeter(body["stream_options"]?["include_usage"] is JsonValue v && v.TryGetValue<bool>(out var asked) && asked);

    private static void AppendContent(StringBuilder text, JsonNode? content)
    {
        if (JsonNumbers.String(content) is { } plain)
        {
            text.Append(plain).Append('\n');
            return;
        }

        foreach (var part in (content as JsonArray ?? []).OfType<JsonObject>())
        {
            text.Append(JsonNumbers.String(part["text"])).Append('\n');
        }
    }
}
