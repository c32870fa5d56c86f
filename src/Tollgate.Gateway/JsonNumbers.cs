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
}
