using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Tollgate.Core.Catalogs;

/// <summary>
/// A price book document as a plain tree (maps, lists, string scalars), so a book can be extended by a version and
/// stored as JSON without losing the exact text of any number.
/// </summary>
public static class PriceBookDocument
{
    /// <summary>The deepest nesting a document may have; real books need about ten levels.</summary>
    public const int MaxDepth = 64;

    private static readonly IDeserializer Yaml = new DeserializerBuilder().WithDuplicateKeyChecking().Build();

    /// <summary>Reads YAML or JSON (JSON is YAML) into a tree; the error names the line and column.</summary>
    public static bool TryParse(string text, out object? tree, out string? error)
    {
        try
        {
            tree = Yaml.Deserialize<object?>(new BoundedYamlParser(new Parser(new StringReader(text)), MaxDepth));
            error = null;
            return true;
        }
        catch (YamlException ex)
        {
            tree = null;
            error = $"not valid YAML or JSON at line {ex.Start.Line}, column {ex.Start.Column}: {ex.Message}";
            return false;
        }
    }

    /// <summary>A copy of the book's tree with one more version at the end.</summary>
    public static Dictionary<object, object?> WithVersion(object book, object? version)
    {
        var copy = new Dictionary<object, object?>(((IDictionary<object, object?>)book).ToDictionary(p => p.Key, p => p.Value));
        var versions = copy.TryGetValue("versions", out var list) && list is IList<object?> existing ? new List<object?>(existing) : [];
        versions.Add(version);
        copy["versions"] = versions;
        return copy;
    }

    /// <summary>A book tree with its versions replaced by one: how a dry run rates with a candidate version alone.</summary>
    public static Dictionary<object, object?> WithOnlyVersion(object book, object? version)
    {
        var copy = WithVersion(book, version);
        copy["versions"] = new List<object?> { version };
        return copy;
    }

    /// <summary>The tree as JSON, every scalar as a string (the reader parses numbers from text either way).</summary>
    public static string ToJson(object? tree)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(writer, tree);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Write(Utf8JsonWriter writer, object? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case IDictionary<object, object?> map:
                writer.WriteStartObject();
                foreach (var (key, value) in map)
                {
                    writer.WritePropertyName(Convert.ToString(key, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
                    Write(writer, value);
                }

                writer.WriteEndObject();
                break;
            case IList<object?> list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(Convert.ToString(node, System.Globalization.CultureInfo.InvariantCulture));
                break;
        }
    }
}
