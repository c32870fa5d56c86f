using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tollgate.Client;

/// <summary>
/// The wire format of the Tollgate API: snake_case names, amounts and quantities as decimal strings (read from
/// strings or numbers) so no reader turns money into floating point, enums as snake_case strings.
/// </summary>
public static class TollgateJson
{
    /// <summary>Strict: unknown fields are errors (how the server reads requests, so a misspelt field never goes unnoticed).</summary>
    public static JsonSerializerOptions Options { get; } = Create(strict: true);

    /// <summary>Lenient: unknown fields are ignored (how the client reads responses, so new fields do not break it).</summary>
    public static JsonSerializerOptions Lenient { get; } = Create(strict: false);

    private static JsonSerializerOptions Create(bool strict)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            UnmappedMemberHandling = strict ? JsonUnmappedMemberHandling.Disallow : JsonUnmappedMemberHandling.Skip,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            NumberHandling = JsonNumberHandling.Strict,
        };
        options.Converters.Add(new DecimalString());
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Writes a decimal as its shortest exact text ("1.1", not "1.10"); reads a JSON number or a decimal string.</summary>
    private sealed class DecimalString : JsonConverter<decimal>
    {
        public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out var number))
            {
                return number;
            }

            if (reader.TokenType == JsonTokenType.String
                && decimal.TryParse(reader.GetString(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var text))
            {
                return text;
            }

            throw new JsonException("must be a decimal number or a decimal string");
        }

        public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options)
        {
            // Formatted as UTF-8 on the stack: every amount of every answer passes here.
            Span<byte> buffer = stackalloc byte[64];
            if (!value.TryFormat(buffer, out var length, default, CultureInfo.InvariantCulture))
            {
                throw new JsonException($"cannot write {value}");
            }

            var text = buffer[..length];
            if (text.Contains((byte)'.'))
            {
                text = text.TrimEnd((byte)'0').TrimEnd((byte)'.');
            }

            writer.WriteStringValue(text);
        }
    }
}
