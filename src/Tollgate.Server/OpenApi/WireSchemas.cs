using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Tollgate.Client.Contracts;

namespace Tollgate.Server.OpenApi;

/// <summary>
/// Makes each schema say what is on the wire: decimals are strings with a pattern, objects name exactly their
/// fields (a request with another field is refused), and <c>required</c> is what the server enforces (requests) or
/// what an answer always carries (answers: every field that is never null).
/// </summary>
internal static class WireSchemas
{
    /// <summary>A decimal as the server writes it: the shortest exact text, no exponent, no grouping.</summary>
    public const string DecimalPattern = @"^-?[0-9]+(\.[0-9]+)?$";

    /// <summary>
    /// The fields each request type must carry, as the handlers check them (the deserialiser itself requires none:
    /// a missing value is caught by the handler's validation, with missing_field or invalid_field).
    /// </summary>
    private static readonly Dictionary<Type, string[]> RequestRequired = new()
    {
        [typeof(TenantRequest)] = [], // POST /v1/tenants also requires id (see the operation).
        [typeof(KeyRequest)] = ["name"],
        [typeof(TopUpRequest)] = ["id", "unit", "amount"],
        [typeof(FreeQuotaRequest)] = ["unit", "limit"],
        [typeof(AdjustmentRequest)] = ["account_id", "amount", "reason"],
        [typeof(ReservationRequest)] = ["id"],
        [typeof(SettleRequest)] = ["event"],
        [typeof(EndUserRequest)] = ["id"],
        [typeof(UsageEvent)] = ["id", "tenant", "time", "type", "model"],
        [typeof(EventBatch)] = ["events"],
        [typeof(IssueBillRequest)] = ["cycle"],
        [typeof(WebhookRequest)] = ["url"],
        [typeof(Client.Contracts.Scope)] = [],
        [typeof(Gateway.Keys.GatewayKeyRequestWire)] = ["name"],
        [typeof(Gateway.Keys.GatewayKeyBudgetWire)] = ["limit"],
    };

    public static Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancel)
    {
        var type = context.JsonTypeInfo.Type;
        if (type == typeof(decimal) || type == typeof(decimal?))
        {
            Decimal(schema, nullable: type == typeof(decimal?) || schema.Type?.HasFlag(JsonSchemaType.Null) == true);
        }
        else if (type == typeof(Microsoft.AspNetCore.Mvc.ProblemDetails))
        {
            ProblemSchema.Describe(schema);
        }
        else if (type.IsEnum)
        {
            schema.Type = JsonSchemaType.String; // JsonStringEnumConverter: snake_case names, never numbers.
        }
        else if (context.JsonTypeInfo.Kind == JsonTypeInfoKind.Dictionary && context.JsonTypeInfo.ElementType == typeof(decimal))
        {
            // The decimal converter hides the values' type from the generator.
            var values = new OpenApiSchema();
            Decimal(values, nullable: false);
            schema.AdditionalProperties = values;
        }
        else if (context.JsonTypeInfo.Kind == JsonTypeInfoKind.Object && type.Namespace?.StartsWith("Tollgate.", StringComparison.Ordinal) == true)
        {
            Record(schema, context.JsonTypeInfo);
        }

        return Task.CompletedTask;
    }

    private static void Decimal(OpenApiSchema schema, bool nullable)
    {
        schema.Type = nullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
        schema.Format = "decimal";
        schema.Pattern = DecimalPattern;
        schema.Description ??= "A decimal as a string, such as \"12.5\" (requests may also give a JSON number; answers always give a string).";
        if (schema.Default is JsonValue value && value.TryGetValue<decimal>(out var number))
        {
            schema.Default = JsonValue.Create(number.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        schema.Minimum = null;
        schema.Maximum = null;
    }

    private static void Record(OpenApiSchema schema, JsonTypeInfo info)
    {
        var type = info.Type;
        if (schema.Properties is not { Count: > 0 })
        {
            return;
        }

        schema.AdditionalPropertiesAllowed = false;
        schema.AdditionalProperties = null;
        var required = RequestRequired.TryGetValue(type, out var fields)
            ? fields
            : info.Properties.Where(p => !IsNullable(p)).Select(p => p.Name).ToArray();
        schema.Required = new HashSet<string>(required, StringComparer.Ordinal);
        if (type == typeof(TopUpRequest))
        {
            schema.Description = "A recharge (with an optional bonus), a grant or a resource pack; kind is recharge when left out.";
        }

        if (type == typeof(UsageEvent))
        {
            schema.Description = "A usage event (docs/usage-events.md): usage gives the meters (input_tokens: \"1000\"); content lets the server estimate tokens.";
            // At least one meter, or content to estimate tokens from (UsageEventParser).
            schema.AnyOf = [new OpenApiSchema { Required = new HashSet<string> { "usage" } }, new OpenApiSchema { Required = new HashSet<string> { "content" } }];
        }

        if (type == typeof(ReservationRequest))
        {
            // Either an amount in a unit, or an estimated event to price.
            schema.AnyOf = [new OpenApiSchema { Required = new HashSet<string> { "amount", "unit" } }, new OpenApiSchema { Required = new HashSet<string> { "estimate" } }];
        }
    }

    /// <summary>Null is never written (WhenWritingNull): an answer's field that may be null may be absent.</summary>
    private static bool IsNullable(JsonPropertyInfo property) =>
        property.PropertyType.IsValueType ? Nullable.GetUnderlyingType(property.PropertyType) is not null : property.IsGetNullable;
}
