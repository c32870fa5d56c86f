using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Tollgate.Client;
using Tollgate.Server.Api;

namespace Tollgate.Server.OpenApi;

/// <summary>The problem every error answers with (RFC 7807, written by <see cref="Problems"/>) and an example per status.</summary>
internal static class ProblemSchema
{
    public const string MediaType = "application/problem+json";

    /// <summary>The codes a status carries, for the response's description and example.</summary>
    private static readonly Dictionary<int, (string Codes, string Code, string Detail, string? Field)> ByStatus = new()
    {
        [400] = ("invalid_field, missing_field, malformed_json and the engine's field errors (negative_quantity ...)", Problems.InvalidField, "'time_zone' is not an IANA time zone (such as Asia/Shanghai or UTC)", "time_zone"),
        [401] = ("unauthorized: no key, or a key that is unknown or revoked", Problems.Unauthorized, "send 'Authorization: Bearer tg_...'", "authorization"),
        [402] = ("insufficient_funds: a strict tenant's balances cannot pay", "insufficient_funds", "the balances cannot cover 1.1 credits", null),
        [403] = ("forbidden: the key may not do this (an operator key is needed, or can_record)", Problems.Forbidden, "this operation needs an operator key", null),
        [404] = ("not_found, unknown_tenant, unknown_account, hold_not_found", Problems.NotFound, "no tenant 'acme'", "tenant"),
        [409] = ("idempotency_conflict, hold_not_active, tenant_exists, cycle_open and the price books' conflicts", "idempotency_conflict", "id 'evt-1' was recorded with another body", "id"),
        [413] = ("body_too_large, batch_too_large", Problems.BodyTooLarge, "the body is larger than 1048576 bytes", null),
        [415] = ("unsupported_media_type: send the body as application/json", Problems.UnsupportedMediaType, "send the body as application/json", "content-type"),
        [422] = ("well-formed but cannot be priced: unknown_model, unpriced_meter ...", "unknown_model", "no price for model 'gpt-9' in price book 'gptbots'", "model"),
        [503] = ("store_unavailable: nothing was recorded; retry with the same ids (Retry-After)", Problems.StoreUnavailable, "the store is unavailable; nothing was recorded; retry with the same ids", null),
    };

    /// <summary>Replaces the framework's ProblemDetails schema with the fields Tollgate writes.</summary>
    public static void Describe(OpenApiSchema schema)
    {
        schema.Type = JsonSchemaType.Object;
        schema.Description = "An RFC 7807 problem with a stable `code` (what went wrong) and the `field` at fault; `errors` lists every bad field, " +
                             "`result` carries the refused event's or reservation's result. Other members may be added (RFC 7807 extensions).";
        schema.Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "https://tollgate.dev/problems/<code>" },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[a-z0-9_]+$", Description = "Stable and machine-readable, such as invalid_field" },
            ["field"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The field at fault, such as events[3].usage.input_tokens" },
            ["errors"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            ["result"] = new OpenApiSchema { Description = "The refused event's result (EventResult) or reservation (Reservation)" },
        };
        schema.Required = new HashSet<string>(["type", "title", "status", "detail", "code"], StringComparer.Ordinal);
        schema.AdditionalPropertiesAllowed = true;
    }

    public static string Description(int status) =>
        ByStatus.TryGetValue(status, out var s) ? s.Codes : "a problem";

    public static JsonNode Example(int status)
    {
        var (_, code, detail, field) = ByStatus.TryGetValue(status, out var s) ? s : ByStatus[400];
        var problem = Problems.Create(status, code, detail, field);
        return JsonSerializer.SerializeToNode(problem, TollgateJson.Options)!;
    }
}
