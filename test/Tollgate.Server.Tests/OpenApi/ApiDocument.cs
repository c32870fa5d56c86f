using System.Collections.Concurrent;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NJsonSchema;

namespace Tollgate.Server.Tests.OpenApi;

/// <summary>
/// The server's OpenAPI document, read as a contract: its operations (method and path template) and a JSON Schema
/// validator (NJsonSchema) for any schema in it, with the document's components as the schema's definitions.
/// </summary>
internal sealed class ApiDocument(JObject root)
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];
    private readonly ConcurrentDictionary<string, JsonSchema> validators = new(StringComparer.Ordinal);

    public JObject Root { get; } = root;

    public IEnumerable<ApiOperation> Operations =>
        from path in ((JObject)Root["paths"]!).Properties()
        from method in Methods
        where path.Value[method] is JObject
        select new ApiOperation(method.ToUpperInvariant(), path.Name, (JObject)path.Value[method]!);

    public static async Task<ApiDocument> LoadAsync(HttpClient http) => new(Parse(await http.GetStringAsync("openapi/v1.json")));

    /// <summary>Parses JSON as written: dates stay strings, decimals stay as they are (a validator sees the wire).</summary>
    public static JToken ParseToken(string json)
    {
        using var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None, FloatParseHandling = FloatParseHandling.Decimal };
        return JToken.ReadFrom(reader);
    }

    /// <summary>The documented operation a request went to: same method, same segment count, literal segments equal (most literal wins).</summary>
    public ApiOperation? Find(string method, string path)
    {
        var segments = path.Trim('/').Split('/');
        return Operations
            .Where(o => o.Method == method)
            .Select(o => (Operation: o, Template: o.Path.Trim('/').Split('/')))
            .Where(t => t.Template.Length == segments.Length
                        && t.Template.Zip(segments).All(p => p.First.StartsWith('{') || p.First == Uri.UnescapeDataString(p.Second)))
            .OrderByDescending(t => t.Template.Count(s => !s.StartsWith('{')))
            .Select(t => t.Operation)
            .FirstOrDefault();
    }

    /// <summary>The errors of <paramref name="json"/> against <paramref name="schema"/> (a schema node of this document), as text.</summary>
    public IReadOnlyList<string> Validate(JToken schema, JToken json)
    {
        var validator = validators.GetOrAdd(schema.ToString(Formatting.None), Build);
        return [.. validator.Validate(json).Select(e => e.ToString())];
    }

    private JsonSchema Build(string schema)
    {
        // The schema as a root whose definitions are the components: "#/components/schemas/X" becomes "#/definitions/X".
        var definitions = Root["components"]?["schemas"]?.DeepClone() ?? new JObject();
        // (A root that is itself a $ref would lose its definitions, so the schema is wrapped in allOf.)
        var wrapped = new JObject { ["allOf"] = new JArray(JToken.Parse(schema)), ["definitions"] = definitions };
        var text = wrapped.ToString(Formatting.None).Replace("#/components/schemas/", "#/definitions/", StringComparison.Ordinal);
        return JsonSchema.FromJsonAsync(text).GetAwaiter().GetResult();
    }

    private static JObject Parse(string json) => (JObject)ParseToken(json);
}
