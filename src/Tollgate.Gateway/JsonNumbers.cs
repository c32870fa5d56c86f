using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tollgate.Gateway;

/// <summary>Reads counts out of provider JSON, where a missing or null count is simply absent.</summary>
internal static class JsonNumbers
{
    public static long? Count(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<long>(out var n) ? n
        : node is JsonValue d && d.TryGetValue<decimal>(out var m) && m == decimal.Truncate(m) ? (long)m
        : null;

    /// <summary>Adds a meter when the count is positive (a zero part changes nothing and may not be priced).</summary>
    public static void Put(Dictionary<string, decimal> meters, string meter, long? count)
    {
        if (count is > 0)
        {
            meters[meter] = count.Value;
        }
    }

    public static string? String(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;

    // A stream's events are read in place (JsonDocument over the reader's bytes): one small document per chunk, where
    // a JsonNode tree would build a dictionary for every object in it.

    /// <summary>A property of an object read in place, or an undefined element when there is none (or no object).</summary>
    public static JsonElement Field(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    public static string? String(JsonElement element) => element.ValueKind == JsonValueKind.String ? element.GetString() : null;

    /// <summary>
    /// A value read in place as a node over it, for the readers that requests (which the gateway edits, as nodes) and
    /// provider answers share; read it before its document is disposed.
    /// </summary>
    public static JsonNode? Node(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => JsonObject.Create(element),
        JsonValueKind.Array => JsonArray.Create(element),
        JsonValueKind.Undefined or JsonValueKind.Null => null,
        _ => JsonValue.Create(element),
    };

    /// <summary>The event's data as a JSON document, or null when it is empty or not JSON (relayed, never billed from).</summary>
    public static JsonDocument? Parse(ReadOnlyMemory<byte> data)
    {
        if (data.IsEmpty)
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(data);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The text of a delta event (a stream has one per token or so), read in one pass rather than parsed: the string at
    /// <c>delta</c>, or, when <paramref name="fields"/> are given, the first string among <c>delta.{fields}</c>. Null
    /// when there is none, or when the data is not a JSON object.
    /// </summary>
    public static string? DeltaText(ReadOnlySpan<byte> json, params ReadOnlySpan<string> fields)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            string? text = null;
            var inDelta = false;
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth > 2)
                {
                    continue;
                }

                if (reader.CurrentDepth == 1)
                {
                    inDelta = reader.ValueTextEquals("delta"u8);
                    if (!inDelta || !fields.IsEmpty)
                    {
                        continue;
                    }
                }
                else if (!inDelta || !Any(ref reader, fields))
                {
                    continue;
                }

                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    text ??= reader.GetString();
                }
            }

            return text;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool Any(ref Utf8JsonReader reader, scoped ReadOnlySpan<string> names)
    {
        foreach (var name in names)
        {
            if (reader.ValueTextEquals(name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Joins the texts of one event, allocating only when it has more than one.</summary>
    public static string Append(string text, string? more) =>
        string.IsNullOrEmpty(more) ? text : text.Length == 0 ? more : text + more;
}
