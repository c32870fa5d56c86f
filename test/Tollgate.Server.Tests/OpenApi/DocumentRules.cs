using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace Tollgate.Server.Tests.OpenApi;

/// <summary>
/// What the document must say about the wire, checked over the whole document: snake_case names, no floating point,
/// decimals as strings with a pattern, string enums, problems for errors, the bearer key, an example per body.
/// </summary>
internal static partial class DocumentRules
{
    public static IEnumerable<string> Violations(ApiDocument document)
    {
        foreach (var node in document.Root.DescendantsAndSelf().OfType<JObject>())
        {
            if (node["properties"] is JObject properties && node["type"]?.ToString() != "null")
            {
                foreach (var name in properties.Properties().Select(p => p.Name).Where(n => !SnakeCase().IsMatch(n)))
                {
                    yield return $"{node.Path}: property '{name}' is not snake_case";
                }
            }

            if (node["format"]?.ToString() is "double" or "float")
            {
                yield return $"{node.Path}: format {node["format"]} (money is never floating point)";
            }

            if (node["type"] is { } type && type.ToString().Contains("number", StringComparison.Ordinal))
            {
                yield return $"{node.Path}: type number (decimals are strings)";
            }

            if (node["format"]?.ToString() == "decimal" && (node["type"]?.ToString().Contains("string", StringComparison.Ordinal) != true || node["pattern"] is null))
            {
                yield return $"{node.Path}: a decimal must be a string with a pattern";
            }
        }

        foreach (var (name, schema) in ((JObject)document.Root["components"]!["schemas"]!).Properties().Select(p => (p.Name, p.Value)))
        {
            if (schema["enum"] is JArray values && (schema["type"]?.ToString() != "string" || values.Any(v => v.Type != JTokenType.String)))
            {
                yield return $"enum {name} is not a string enum";
            }
        }

        foreach (var operation in document.Operations)
        {
            foreach (var violation in OperationViolations(document, operation))
            {
                yield return $"{operation.Name}: {violation}";
            }
        }
    }

    private static IEnumerable<string> OperationViolations(ApiDocument document, ApiOperation operation)
    {
        foreach (var parameter in operation.Node["parameters"]?.Where(p => p["in"]?.ToString() == "query") ?? [])
        {
            if (!SnakeCase().IsMatch(parameter["name"]!.ToString()))
            {
                yield return $"query parameter '{parameter["name"]}' is not snake_case";
            }
        }

        var problems = operation.Responses.Properties().Where(r => r.Name.StartsWith('4') || r.Name.StartsWith('5')).ToList();
        if (operation.Path.StartsWith("/v1/", StringComparison.Ordinal))
        {
            if (!problems.Any(r => r.Name.StartsWith('4')))
            {
                yield return "no 4xx problem response";
            }

            if (operation.Node["security"]?.ToString().Contains("bearer", StringComparison.Ordinal) != true)
            {
                yield return "no bearer security requirement";
            }
        }

        foreach (var problem in problems)
        {
            if (problem.Value["content"] is not JObject content || content.Properties().Select(p => p.Name).SingleOrDefault() != "application/problem+json")
            {
                yield return $"{problem.Name} is not an application/problem+json answer";
            }
        }

        var bodies = (operation.RequestContent?.Properties() ?? [])
            .Concat(operation.Responses.Properties().SelectMany(r => (r.Value["content"] as JObject)?.Properties() ?? []));
        foreach (var media in bodies.Select(p => (Type: p.Name, Node: p.Value)))
        {
            if (media.Node["example"] is not { } example)
            {
                yield return $"{media.Node.Path}: no example";
            }
            else if (media.Type.EndsWith("json", StringComparison.Ordinal) && media.Node["schema"] is { } schema)
            {
                foreach (var error in document.Validate(schema, example))
                {
                    yield return $"{media.Node.Path}: the example does not match its schema: {error}";
                }
            }
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex SnakeCase();
}
