using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Tollgate.Gateway.Routes;
using Tollgate.Gateway.Upstreams;

namespace Tollgate.Gateway.OpenAi;

/// <summary><c>GET /openai/v1/models</c>: the routes the calling key may use, in OpenAI's list shape.</summary>
internal static class ModelList
{
    public static async Task WriteAsync(HttpContext context, GatewayServices services)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
        var key = presented is null ? null : await services.Keys.VerifyAsync(presented, context.RequestAborted);
        if (key is null)
        {
            await OpenAiErrors.WriteAsync(context, ProtocolError.Unauthorized, "no valid gateway key was sent");
            return;
        }

        var data = new JsonArray();
        foreach (var route in services.Options.Routes.All.Where(r => key.MayCall(r.Model)))
        {
            data.Add(new JsonObject
            {
                ["id"] = route.Model,
                ["object"] = "model",
                ["created"] = 0,
                ["owned_by"] = "tollgate",
                ["price_item"] = route.PriceItem,
                ["max_output_tokens"] = route.MaxOutputTokens,
                ["protocols"] = new JsonArray([.. route.Upstreams.Select(u => (JsonNode)JsonValue.Create(u.Kind == Upstream.OpenAi ? "openai" : "anthropic")).DistinctBy(n => n.ToJsonString())]),
            });
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(new JsonObject { ["object"] = "list", ["data"] = data }.ToJsonString(), context.RequestAborted);
    }
}
