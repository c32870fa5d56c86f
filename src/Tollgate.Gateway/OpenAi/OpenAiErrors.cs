using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Tollgate.Gateway.Upstreams;

namespace Tollgate.Gateway.OpenAi;

/// <summary>Errors in OpenAI's shape, <c>{"error": {"message", "type", "param", "code"}}</c>, with OpenAI's statuses.</summary>
internal static class OpenAiErrors
{
    public static Task WriteAsync(HttpContext context, ProtocolError error, string message)
    {
        var (status, type, code) = error switch
        {
            ProtocolError.Unauthorized => (401, "invalid_request_error", "invalid_api_key"),
            ProtocolError.Forbidden => (403, "invalid_request_error", "forbidden"),
            ProtocolError.UnknownModel => (404, "invalid_request_error", "model_not_found"),
            ProtocolError.InsufficientFunds => (402, "insufficient_quota", "insufficient_quota"),
            ProtocolError.Conflict => (409, "invalid_request_error", "idempotency_key_reused"),
            ProtocolError.RateLimited => (429, "rate_limit_exceeded", "rate_limit_exceeded"),
            ProtocolError.UpstreamFailed => (502, "api_error", "upstream_error"),
            ProtocolError.UpstreamTimeout => (504, "api_error", "upstream_timeout"),
            _ => (400, "invalid_request_error", "invalid_request"),
        };
        var body = new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = null, ["code"] = code } };
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }
}
