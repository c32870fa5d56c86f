using System.Buffers;
using System.Text.Json;
using Tollgate.Core.Money;

namespace Tollgate.Storage.Sql;

/// <summary>
/// Whole units per name as one JSON text column: <c>{"input_tokens":"1500000","output_tokens":"42"}</c>, each value
/// canonical integer text (<see cref="LedgerAmount.ToText"/>), as strings so that no engine reads them as binary
/// floating point or a 64-bit integer. A usage rollup row keeps its meters' quantities so, and a bill line its payers'
/// amounts too, instead of a row per meter (docs/benchmarks.md, ninth pass). Two such texts are added key by key by <c>units_merge</c>.
/// </summary>
public static class UnitsJson
{
    /// <summary>No units.</summary>
    public const string Empty = "{}";

    /// <summary>The units as JSON text, names in ordinal order.</summary>
    public static string Write(IReadOnlyDictionary<string, decimal> units)
    {
        if (units.Count == 0)
        {
            return Empty;
        }

        var buffer = new ArrayBufferWriter<byte>(64 + (units.Count * 32));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in units.OrderBy(u => u.Key, StringComparer.Ordinal))
            {
                writer.WriteString(name, LedgerAmount.ToText(value));
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads <see cref="Write"/>'s text (null or empty is no units); a value may also be a JSON number.</summary>
    public static Dictionary<string, decimal> Read(string? text)
    {
        var units = new Dictionary<string, decimal>(StringComparer.Ordinal);
        AddTo(units, text);
        return units;
    }

    /// <summary>Adds the units of <paramref name="text"/> to <paramref name="units"/>.</summary>
    public static void AddTo(Dictionary<string, decimal> units, string? text)
    {
        if (string.IsNullOrEmpty(text) || text == Empty)
        {
            return;
        }

        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(text));
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new FormatException($"units must be a JSON object, not '{text}'");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            var value = reader.TokenType == JsonTokenType.String ? LedgerAmount.Parse(reader.GetString()!) : reader.GetDecimal();
            units[name] = units.GetValueOrDefault(name) + value;
        }
    }

    /// <summary>The two texts' units added name by name.</summary>
    public static string Merge(string? left, string? right)
    {
        if (string.IsNullOrEmpty(right) || right == Empty)
        {
            return string.IsNullOrEmpty(left) ? Empty : left;
        }

        if (string.IsNullOrEmpty(left) || left == Empty)
        {
            return right;
        }

        var units = Read(left);
        AddTo(units, right);
        return Write(units);
    }
}
