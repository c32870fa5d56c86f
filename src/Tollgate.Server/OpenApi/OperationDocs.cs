using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Tollgate.Server.OpenApi;

/// <summary>
/// Completes each operation with what every handler shares but does not declare: the bearer key and its 401, the
/// store's 503, a JSON body's 400/413/415, problem bodies (application/problem+json) described by their codes, text
/// answers, and an example for each request and answer.
/// </summary>
internal static class OperationDocs
{
    public const string Scheme = "bearer";

    /// <summary>Operations that answer 403 to a key that may read but not do this (operator only, or can_record).</summary>
    private static readonly HashSet<string> Forbidden = new(StringComparer.Ordinal)
    {
        "POST v1/tenants", "PATCH v1/tenants/{tenant}", "POST v1/tenants/{tenant}/users", "POST v1/tenants/{tenant}/topups",
        "POST v1/tenants/{tenant}/free-quotas", "POST v1/tenants/{tenant}/adjustments", "POST v1/tenants/{tenant}/bills",
        "POST v1/events", "POST v1/tenants/{tenant}/reservations", "POST v1/tenants/{tenant}/reservations/{id}/settle",
        "POST v1/tenants/{tenant}/reservations/{id}/release", "POST v1/keys", "GET v1/keys", "DELETE v1/keys/{id}",
        "POST v1/price-books", "POST v1/price-books/{id}/versions", "POST v1/price-books/{id}/dry-run",
    };

    public static Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancel)
    {
        var path = "/" + (context.Description.RelativePath ?? string.Empty).TrimStart('/');
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        operation.Responses ??= [];
        if (path.StartsWith("/v1/", StringComparison.Ordinal))
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Scheme, context.Document)] = [] }];
            AddProblem(operation, 401);
            AddProblem(operation, 503);
            var route = $"{context.Description.HttpMethod} {path.Trim('/')}";
            if (Forbidden.Contains(route) || metadata.OfType<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Any(a => a.Policy is not null || a.Roles is not null))
            {
                AddProblem(operation, 403);
            }
        }

        if (operation.RequestBody?.Content is { Count: > 0 })
        {
            // A body that is not JSON (or YAML, for price books), too large, or not well-formed.
            AddProblem(operation, 400);
            AddProblem(operation, 413);
            AddProblem(operation, 415);
        }

        foreach (var text in metadata.OfType<TextContent>())
        {
            var response = Response(operation, text.Status);
            response.Content ??= new Dictionary<string, OpenApiMediaType>();
            response.Content[text.ContentType] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String }, Example = text.Example };
        }

        if (metadata.OfType<RequiredFields>().FirstOrDefault() is { } fields
            && operation.RequestBody?.Content?.TryGetValue("application/json", out var body) == true && body.Schema is not null)
        {
            body.Schema = new OpenApiSchema { AllOf = [body.Schema, new OpenApiSchema { Required = new HashSet<string>(fields.Names, StringComparer.Ordinal) }] };
        }

        ParameterDocs.Apply(operation, path);
        Examples.Apply(operation, path);
        foreach (var (status, response) in operation.Responses)
        {
            if (int.TryParse(status, out var code) && code >= 400 && response is OpenApiResponse problem)
            {
                problem.Description = ProblemSchema.Description(code);
                problem.Content ??= new Dictionary<string, OpenApiMediaType>();
                if (problem.Content.TryGetValue(ProblemSchema.MediaType, out var media))
                {
                    media.Example ??= ProblemSchema.Example(code);
                }
            }
        }

        return Task.CompletedTask;

        void AddProblem(OpenApiOperation op, int code)
        {
            var key = code.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (op.Responses!.ContainsKey(key))
            {
                return;
            }

            op.Responses[key] = new OpenApiResponse
            {
                Description = ProblemSchema.Description(code),
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [ProblemSchema.MediaType] = new() { Schema = new OpenApiSchemaReference("ProblemDetails", context.Document) },
                },
            };
        }
    }

    private static OpenApiResponse Response(OpenApiOperation operation, int status)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.TryGetValue(key, out var found) && found is OpenApiResponse response)
        {
            return response;
        }

        response = new OpenApiResponse { Description = "OK" };
        operation.Responses[key] = response;
        return response;
    }
}
