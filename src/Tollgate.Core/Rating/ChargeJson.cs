using System.Text.Json;
using Tollgate.Core.Events;
using Tollgate.Core.Money;

namespace Tollgate.Core.Rating;

/// <summary>
/// Writes rated charges and rating errors in the public JSON shape. Amounts, prices and quantities are decimal
/// strings, so no JSON reader turns them into floating point.
/// </summary>
public static class ChargeJson
{
    /// <summary>Writer options for charge output: readable non-ASCII model names, not for embedding in HTML.</summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void WriteCharge(Utf8JsonWriter writer, RatedCharge charge)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(charge);
        writer.WriteStartObject();
        writer.WriteString("id", charge.EventId);
        writer.WriteString("total", DecimalText.Format(charge.Total));
        writer.WriteString("unit", charge.Unit);
        writer.WriteString("subtotal", DecimalText.Format(charge.Subtotal));
        if (charge.Estimated)
        {
            writer.WriteBoolean("estimated", true);
        }

        writer.WriteStartArray("lines");
        foreach (var line in charge.Lines)
        {
            WriteLine(writer, line);
        }

        writer.WriteEndArray();
        writer.WriteString("price_book", charge.PriceBook);
        writer.WriteEndObject();
    }

    public static void WriteError(Utf8JsonWriter writer, string? id, RatingError error)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(error);
        writer.WriteStartObject();
        if (id is null)
        {
            writer.WriteNull("id");
        }
        else
        {
            writer.WriteString("id", id);
        }

        writer.WriteStartObject("error");
        writer.WriteString("code", error.Code);
        writer.WriteString("message", error.Message);
        if (error.Field is not null)
        {
            writer.WriteString("field", error.Field);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Folds a parse failure's field errors into one rating error: the first error's code and field, every message.</summary>
    public static RatingError FromFieldErrors(IReadOnlyList<FieldError> errors)
    {
        ArgumentOutOfRangeException.ThrowIfZero(errors.Count);
        return new RatingError(errors[0].Code, string.Join("; ", errors), errors[0].Field);
    }

    private static void WriteLine(Utf8JsonWriter writer, ChargeLine line)
    {
        writer.WriteStartObject();
        writer.WriteString("meter", line.Meter);
        writer.WriteString("quantity", DecimalText.Format(line.Quantity));
        writer.WriteString("unit_price", DecimalText.Format(line.UnitPrice));
        writer.WriteString("per", DecimalText.Format(line.Per));
        writer.WriteString("currency", line.Currency);
        writer.WriteString("amount", DecimalText.Format(line.Amount));
        if (line.Estimated)
        {
            writer.WriteBoolean("estimated", true);
        }

        if (line.Modifiers.Count > 0)
        {
            writer.WriteStartArray("modifiers");
            foreach (var modifier in line.Modifiers)
            {
                writer.WriteStartObject();
                writer.WriteString("kind", modifier.Kind);
                if (modifier.Factor is { } factor)
                {
                    writer.WriteString("factor", DecimalText.Format(factor));
                }

                writer.WriteString("note", modifier.Note);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }
}
