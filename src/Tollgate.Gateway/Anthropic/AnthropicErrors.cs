using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Tollgate.Gateway.Upstreams;

namespace Tollgate.Gateway.Anthropic;

/// <summary>Errors in Anthropic's shape, <c>{"type": "error", "error": {"type", "message"}}</c>, with Anthropic's statuses.</summary>
internal static class AnthropicErrors
{
    public static Task WriteAsync(HttpContext context, ProtocolError error, string message)
    {
        var (status, type) = error switch
        {
            ProtocolError.Unauthorized => (401, "authentication_error"),
            ProtocolError.Forbidden => (403, "permission_error"),
            ProtocolError.UnknownModel => (404, "not_found_error"),
            ProtocolError.InsufficientFunds => (402, "billing_error"),
            ProtocolError.Conflict => (409, "invalid_request_error"),
            ProtocolError.RateLimited => (429, "rate_limit_error"),
            ProtocolError.UpstreamFailed => (502, "api_error"),
            ProtocolError.UpstreamTimeout => (504, "timeout_error"),
            _ => (400, "invalid_request_error"),
        };
        var body = new JsonObject { ["type"] = "error", ["error"] = new JsonObject { ["type"] = type, ["message"] = message } };
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }
}
