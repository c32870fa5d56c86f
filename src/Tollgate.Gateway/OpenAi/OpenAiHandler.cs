using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Tollgate.Gateway.Routes;
using Tollgate.Gateway.Upstreams;

namespace Tollgate.Gateway.OpenAi;

/// <summary>What every OpenAI-compatible endpoint shares: bearer-key auth, OpenAI's error shape, the body passed through with the upstream's model name.</summary>
public abstract class OpenAiHandler(GatewayServices services) : ProtocolHandler(services)
{
    protected override string Kind => Upstream.OpenAi;

    /// <summary>The endpoint's path under the upstream's base URL, such as <c>chat/completions</c>.</summary>
    protected abstract string UpstreamPath { get; }

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
        Adjust(sent, stream);
        var request = new HttpRequestMessage(HttpMethod.Post, upstream.Endpoint(UpstreamPath))
        {
            Content = new StringContent(sent.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (upstream.ApiKey is { } key)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return request;
    }

    /// <summary>What billing needs changed in the body sent upstream (nothing, unless an endpoint says so).</summary>
    protected virtual void Adjust(JsonObject sent, bool stream)
    {
    }

    protected static void AppendText(StringBuilder text, JsonNode? content)
    {
        if (JsonNumbers.String(content) is { } plain)
        {
            text.Append(plain).Append('\n');
            return;
        }

        foreach (var part in (content as JsonArray ?? []))
        {
            if (JsonNumbers.String(part) is { } item)
            {
                text.Append(item).Append('\n');
            }
            else if (part is JsonObject o)
            {
                text.Append(JsonNumbers.String(o["text"])).Append('\n');
                if (o["content"] is { } inner)
                {
                    AppendText(text, inner);
                }
            }
        }
    }
}
