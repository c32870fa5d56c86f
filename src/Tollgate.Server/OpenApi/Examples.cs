using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Tollgate.Client;

namespace Tollgate.Server.OpenApi;

/// <summary>
/// Puts an example on each JSON request and answer: the contract's sample (<see cref="ExampleBodies"/>) written with
/// the wire's JSON options, so an example is always in the wire format (the conformance test validates each one).
/// </summary>
internal static class Examples
{
    public const string PriceBookYaml = """
        id: my-book
        name: My book
        versions:
          - version: "1"
            effective_from: 2026-02-01T00:00:00Z
            settlement: { unit: USD, scale: 6 }
            groups:
              - types: [llm_text]
                per: 1M
                items:
                  - { model: my-model, prices: { input_tokens: 3, output_tokens: 15 } }
        """;

    public const string VersionYaml = """
        version: "2"
        effective_from: 2026-03-01T00:00:00Z
        settlement: { unit: USD, scale: 6 }
        groups:
          - types: [llm_text]
            per: 1M
            items:
              - { model: my-model, prices: { input_tokens: 2.5, output_tokens: 12 } }
        """;

    public const string BillCsv =
        "bill,unit,row,type,model,channel,late_from,events,meter,quantity,amount,price_books\n2026-11-20,credits,line,llm_text,GPT-4.1-1M,,,2,,,2.2,gptbots@2026-11\n";

    public const string BillHtml = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Bill acme 2026-11-20</title>...</html>";

    private const string VersionJson = """
        {"version": "2", "effective_from": "2026-03-01T00:00:00Z", "settlement": {"unit": "USD", "scale": 6},
         "groups": [{"types": ["llm_text"], "per": "1M", "items": [{"model": "my-model", "prices": {"input_tokens": 2.5, "output_tokens": 12}}]}]}
        """;

    private const string PriceBookJson = """
        {"id": "my-book", "name": "My book", "versions": [
          {"version": "1", "effective_from": "2026-02-01T00:00:00Z", "settlement": {"unit": "USD", "scale": 6},
           "groups": [{"types": ["llm_text"], "per": "1M", "items": [{"model": "my-model", "prices": {"input_tokens": 3, "output_tokens": 15}}]}]}]}
        """;

    private static readonly Lazy<Dictionary<string, JsonNode>> Bodies = new(() =>
        ExampleBodies.All().ToDictionary(o => o.GetType().Name, o => JsonSerializer.SerializeToNode(o, o.GetType(), TollgateJson.Options)!, StringComparer.Ordinal));

    public static void Apply(OpenApiOperation operation, string path)
    {
        if (operation.RequestBody?.Content is { } request)
        {
            if (request.TryGetValue("application/yaml", out var yaml))
            {
                // A price book document: YAML, or the same document as a JSON object (not a JSON string).
                var document = path.TrimEnd('/').EndsWith("/price-books", StringComparison.Ordinal) ? PriceBookYaml : VersionYaml;
                yaml.Example = JsonValue.Create(document);
                if (request.TryGetValue("application/json", out var json))
                {
                    json.Schema = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "The same document as a JSON object" };
                    json.Example = JsonNode.Parse(document == PriceBookYaml ? PriceBookJson : VersionJson);
                }
            }

            foreach (var media in request.Values)
            {
                media.Example ??= For(media.Schema);
            }
        }

        foreach (var response in (operation.Responses ?? []).Values)
        {
            foreach (var (type, media) in response.Content ?? new Dictionary<string, OpenApiMediaType>())
            {
                if (type == "application/json")
                {
                    media.Example ??= For(media.Schema);
                }
            }
        }
    }

    /// <summary>The sample of a schema's contract, by the component name the generator gives it (the type's name).</summary>
    private static JsonNode? For(IOpenApiSchema? schema)
    {
        var name = schema is OpenApiSchemaReference reference ? reference.Reference.Id : null;
        if (schema?.AllOf is { Count: > 0 } all && all[0] is OpenApiSchemaReference first)
        {
            name = first.Reference.Id;
        }

        return name is not null && Bodies.Value.TryGetValue(name, out var node) ? node.DeepClone() : null;
    }
}
