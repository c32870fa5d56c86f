using System.Buffers;
using System.Buffers.Text;
using System.Text;
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

    private static ReadOnlySpan<byte> EmptyUtf8 => "{}"u8;

    // Values up to 18 digits are added as longs: two of them cannot overflow. Longer ones, and any text that is not
    // in Write's form (names out of order, escapes, JSON numbers), are added as decimals by the general path.
    private const int LongDigits = 18;

    // A merge of two texts with more names than this takes the general path (a row has a few dozen meters at most).
    private const int MaxNames = 64;

    // Each thread's one writer and buffer: Write and Merge run thousands of times per batch, and their text is copied
    // out (into a string or SQLite's result) before the next call on the thread.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? writer;

    /// <summary>The units as JSON text, names in ordinal order.</summary>
    public static string Write(IReadOnlyDictionary<string, decimal> units) =>
        units.Count == 0 ? Empty : Encoding.UTF8.GetString(WriteUtf8(units));

    /// <summary>Reads <see cref="Write"/>'s text (null or empty is no units); a value may also be a JSON number.</summary>
    public static Dictionary<string, decimal> Read(string? text) =>
        string.IsNullOrEmpty(text) ? new Dictionary<string, decimal>(StringComparer.Ordinal) : Read(Encoding.UTF8.GetBytes(text));

    /// <summary>The two texts' units added name by name.</summary>
    public static string Merge(string? left, string? right) =>
        Encoding.UTF8.GetString(Merge(Encoding.UTF8.GetBytes(left ?? string.Empty), Encoding.UTF8.GetBytes(right ?? string.Empty)));

    /// <summary>
    /// The two UTF-8 texts' units added name by name, as <see cref="Write"/> writes them. The answer is one of the inputs
    /// or this thread's buffer, valid until the thread's next call.
    /// </summary>
    public static ReadOnlySpan<byte> Merge(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        if (right.IsEmpty || right.SequenceEqual(EmptyUtf8))
        {
            return left.IsEmpty ? EmptyUtf8 : left;
        }

        if (left.IsEmpty || left.SequenceEqual(EmptyUtf8))
        {
            return right;
        }

        // Both texts as Write leaves them: names in order, so one pass adds them like the merge step of a merge sort.
        Span<Entry> ours = stackalloc Entry[MaxNames];
        Span<Entry> theirs = stackalloc Entry[MaxNames];
        if (!TryEntries(left, ours, out var oursCount) || !TryEntries(right, theirs, out var theirsCount))
        {
            var units = Read(left);
            AddTo(units, right);
            return WriteUtf8(units);
        }

        var json = Start();
        json.WriteStartObject();
        Span<byte> digits = stackalloc byte[24];
        int i = 0, j = 0;
        while (i < oursCount || j < theirsCount)
        {
            var order = i == oursCount ? 1 : j == theirsCount ? -1 : ours[i].Name(left).SequenceCompareTo(theirs[j].Name(right));
            var name = order <= 0 ? ours[i].Name(left) : theirs[j].Name(right);
            var value = (order <= 0 ? ours[i++].Value : 0L) + (order >= 0 ? theirs[j++].Value : 0L);
            Utf8Formatter.TryFormat(value, digits, out var length);
            json.WriteString(name, digits[..length]);
        }

        return Finish(json);
    }

    private static ReadOnlySpan<byte> WriteUtf8(IReadOnlyDictionary<string, decimal> units)
    {
        var sorted = units.ToArray();
        Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var json = Start();
        json.WriteStartObject();
        Span<byte> digits = stackalloc byte[40];
        foreach (var (name, value) in sorted)
        {
            json.WriteString(name, digits[..LedgerAmount.WriteText(value, digits)]);
        }

        return Finish(json);
    }

    private static Dictionary<string, decimal> Read(ReadOnlySpan<byte> utf8)
    {
        var units = new Dictionary<string, decimal>(StringComparer.Ordinal);
        AddTo(units, utf8);
        return units;
    }

    private static void AddTo(Dictionary<string, decimal> units, ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty || utf8.SequenceEqual(EmptyUtf8))
        {
            return;
        }

        var reader = new Utf8JsonReader(utf8);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new FormatException($"units must be a JSON object, not '{Encoding.UTF8.GetString(utf8)}'");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            var value = reader.TokenType == JsonTokenType.String ? LedgerAmount.Parse(reader.GetString()!) : reader.GetDecimal();
            units[name] = units.GetValueOrDefault(name) + value;
        }
    }

    /// <summary>
    /// The names and values of a text in Write's form whose values all have at most <see cref="LongDigits"/> digits;
    /// false for any other text.
    /// </summary>
    private static bool TryEntries(ReadOnlySpan<byte> utf8, Span<Entry> entries, out int count)
    {
        count = 0;
        var reader = new Utf8JsonReader(utf8);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var entry = new Entry((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length, 0);
            if (reader.ValueIsEscaped || count == entries.Length || (count > 0 && entry.Name(utf8).SequenceCompareTo(entries[count - 1].Name(utf8)) <= 0))
            {
                return false;
            }

            if (!reader.Read() || reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped ||
                reader.ValueSpan.Length is 0 or > LongDigits || !Utf8Parser.TryParse(reader.ValueSpan, out long value, out var used) || used != reader.ValueSpan.Length)
            {
                return false;
            }

            entries[count++] = entry with { Value = value };
        }

        return reader.TokenType == JsonTokenType.EndObject;
    }

    private static Utf8JsonWriter Start()
    {
        var output = buffer ??= new ArrayBufferWriter<byte>(256);
        output.ResetWrittenCount();
        var json = writer ??= new Utf8JsonWriter(output);
        json.Reset(output);
        return json;
    }

    private static ReadOnlySpan<byte> Finish(Utf8JsonWriter json)
    {
        json.WriteEndObject();
        json.Flush();
        return buffer!.WrittenSpan;
    }

    /// <summary>A name (where it is in its text) and its value.</summary>
    private readonly record struct Entry(int Start, int Length, long Value)
    {
        public ReadOnlySpan<byte> Name(ReadOnlySpan<byte> utf8) => utf8.Slice(Start, Length);
    }
}
