using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using Tollgate.Client;

namespace Tollgate.Server.OpenApi;

/// <summary>
/// The OpenAPI document (/openapi/v1.json) and its UI (/docs), generated from the endpoints and the contracts with
/// the wire's own JSON options, so the document says what the server takes and returns: snake_case names, string
/// enums, decimals as strings, the problems each endpoint answers, the bearer key, an example per body.
/// </summary>
public static class OpenApiSetup
{
    public const string Route = "/openapi/{documentName}.json";

    public static IServiceCollection AddTollgateOpenApi(this IServiceCollection services)
    {
        // The generator describes types as the framework's JSON options would write them; every handler writes with
        // TollgateJson.Options, so the framework's options are made the same (names, enums, null handling, converters).
        services.ConfigureHttpJsonOptions(o => CopyWire(o));
        services.AddOpenApi("v1", o =>
        {
            o.AddSchemaTransformer(WireSchemas.TransformAsync);
            o.AddOperationTransformer(OperationDocs.TransformAsync);
            o.AddDocumentTransformer((document, _, _) =>
            {
                Describe(document);
                return Task.CompletedTask;
            });
        });
        return services;
    }

    public static WebApplication MapTollgateOpenApi(this WebApplication app)
    {
        app.MapOpenApi(Route).AllowAnonymous();
        app.MapScalarApiReference("/docs", o => o.WithTitle("Tollgate API").WithOpenApiRoutePattern(Route)).AllowAnonymous();
        return app;
    }

    private static void CopyWire(JsonOptions options)
    {
        var wire = TollgateJson.Options;
        var json = options.SerializerOptions;
        json.PropertyNamingPolicy = wire.PropertyNamingPolicy;
        json.DictionaryKeyPolicy = wire.DictionaryKeyPolicy;
        json.DefaultIgnoreCondition = wire.DefaultIgnoreCondition;
        json.NumberHandling = wire.NumberHandling;
        json.UnmappedMemberHandling = wire.UnmappedMemberHandling;
        json.Encoder = wire.Encoder;
        foreach (var converter in wire.Converters)
        {
            json.Converters.Add(converter);
        }
    }

    private static void Describe(OpenApiDocument document)
    {
        document.Info.Title = "Tollgate API";
        document.Info.Description =
            "Metering, rating and credit billing for AI platforms. Authenticate with 'Authorization: Bearer tg_...'.\n\n" +
            "The wire format: snake_case names; amounts and quantities are decimal strings (\"12.5\"), which requests may also " +
            "give as JSON numbers; enums are snake_case strings; a field that is null is left out of answers. Requests with a " +
            "field the server does not know are refused (invalid_field). Every error is an RFC 7807 problem " +
            "(application/problem+json) with a stable `code` and the `field` at fault.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[OperationDocs.Scheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "tg_...",
            Description = "An API key made by POST /v1/keys (or the bootstrap key printed on first start): 'Authorization: Bearer tg_...'. " +
                          "An operator key may do everything; a tenant key reads its own tenant and, with can_record, records its usage.",
        };
    }
}
