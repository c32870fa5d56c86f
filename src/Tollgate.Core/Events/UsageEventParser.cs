using System.Globalization;
using System.Text.Json;
using NodaTime;
using Tollgate.Core.Calendar;
using Tollgate.Core.Estimation;

namespace Tollgate.Core.Events;

/// <summary>
/// Reads a usage event from JSON and checks it field by field, so a client learns every mistake at once.
/// </summary>
/// <remarks>
/// Quantities are read with <see cref="JsonElement.TryGetDecimal"/> straight from the JSON text, never through
/// a double, so 0.1 stays 0.1. Quantities may also be sent as decimal strings.
/// </remarks>
public static class UsageEventParser
{
    public const int MaxIdLength = TextRules.MaxIdLength;
    public const int MaxNameLength = 200;
    public const int MaxAttributes = 64;
    public const int MaxAttributeLength = 1000;
    public const int MaxImages = 64;
    public const int MaxImageSide = 100_000;

    private static readonly string[] KnownFields =
        ["id", "tenant", "subject", "time", "type", "model", "key_mode", "channel", "attributes", "usage", "content"];

    public static UsageEventParseResult Parse(string json)
    {
        try
        {
            // As the server reads bodies: a key given twice is refused, not resolved (last wins).
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowDuplicateProperties = false });
            return Parse(doc.RootElement);
        }
        catch (JsonException ex)
        {
            return UsageEventParseResult.Fail(null, new FieldError(ErrorCodes.MalformedJson, "$", $"not valid JSON: {ex.Message}"));
        }
    }

    public static UsageEventParseResult Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return UsageEventParseResult.Fail(null, new FieldError(ErrorCodes.MalformedJson, "$", "a usage event must be a JSON object"));
        }

        var errors = new List<FieldError>();
        foreach (var property in root.EnumerateObject())
        {
            if (Array.IndexOf(KnownFields, property.Name) < 0)
            {
                errors.Add(new FieldError(ErrorCodes.InvalidField, property.Name, "is not a field of a usage event"));
            }
        }

        var id = RequiredId(root, "id", errors);
        var tenant = RequiredId(root, "tenant", errors);
        var subject = OptionalString(root, "subject", MaxNameLength, errors);
        var time = ReadTime(root, errors);
        var type = RequiredString(root, "type", MaxNameLength, errors);
        if (type is not null && !BillingTypes.All.Contains(type))
        {
            errors.Add(new FieldError(ErrorCodes.UnknownType, "type", $"'{type}' is not a billing type; expected one of {string.Join(", ", BillingTypes.All.Order(StringComparer.Ordinal))}"));
        }

        var model = RequiredString(root, "model", MaxNameLength, errors);
        var keyMode = OptionalString(root, "key_mode", MaxNameLength, errors) ?? KeyModes.Platform;
        if (!KeyModes.IsKnown(keyMode))
        {
            errors.Add(new FieldError(ErrorCodes.InvalidField, "key_mode", $"'{keyMode}' is not a key mode; expected platform or own"));
        }

        var channel = OptionalString(root, "channel", MaxNameLength, errors) ?? Channels.Api;
        var attributes = ReadAttributes(root, errors);
        var usage = ReadUsage(root, errors);
        var content = ReadContent(root, errors);

        // Width and height attributes are a meter too: they give megapixels (docs/usage-events.md).
        if (usage is not null && usage.Count == 0 && content is null && !HasMeters(root) && (attributes is null || UsageEstimate.MegapixelsFrom(attributes) is null))
        {
            errors.Add(new FieldError(ErrorCodes.MissingField, "usage", "must give at least one meter (or content to estimate tokens from, or width and height attributes for megapixels)"));
        }

        if (errors.Count > 0)
        {
            return UsageEventParseResult.Fail(id, [.. errors]);
        }

        return UsageEventParseResult.Ok(new UsageEvent(
            id!, tenant!, subject, time!.Value, type!, model!, keyMode, channel, attributes!, usage!, content));
    }

    private static bool HasMeters(JsonElement root) =>
        root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object && usage.EnumerateObject().Any();

    /// <summary>An id (of the event, of its tenant): the one id syntax of <see cref="TextRules.IdError"/>.</summary>
    private static string? RequiredId(JsonElement root, string name, List<FieldError> errors)
    {
        var value = RequiredString(root, name, MaxIdLength, errors);
        if (value is not null && TextRules.IdError(value) is { } error)
        {
            errors.Add(new FieldError(ErrorCodes.InvalidField, name, error));
            return null;
        }

        return value;
    }

    private static string? RequiredString(JsonElement root, string name, int maxLength, List<FieldError> errors)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            errors.Add(new FieldError(ErrorCodes.MissingField, name, "is required"));
            return null;
        }

        return StringValue(value, name, maxLength, errors);
    }

    private static string? OptionalString(JsonElement root, string name, int maxLength, List<FieldError> errors, string? prefix = null) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? StringValue(value, prefix + name, maxLength, errors, multiline: prefix is not null)
            : null;

    private static string? StringValue(JsonElement value, string field, int maxLength, List<FieldError> errors, bool multiline = false)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new FieldError(ErrorCodes.InvalidField, field, $"must be a string, not {Describe(value)}"));
            return null;
        }

        var text = value.GetString()!;
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(new FieldError(ErrorCodes.InvalidField, field, "must not be empty"));
            return null;
        }

        if (TextRules.TextError(text, maxLength, multiline) is { } error)
        {
            errors.Add(new FieldError(ErrorCodes.InvalidField, field, error));
            return null;
        }

        return text;
    }

    private static OffsetDateTime? ReadTime(JsonElement root, List<FieldError> errors)
    {
        var text = RequiredString(root, "time", 64, errors);
        if (text is null)
        {
            return null;
        }

        if (IsoTime.Parse(text) is not { } time)
        {
            errors.Add(new FieldError(ErrorCodes.InvalidField, "time", $"'{text}' is not an ISO 8601 time with an offset, such as 2025-03-01T09:30:00+08:00"));
            return null;
        }

        if (!Calendar.SupportedTimes.Contains(time))
        {
            errors.Add(new FieldError(Calendar.SupportedTimes.OutOfRange, "time", $"'{text}' is outside the supported times, {Calendar.SupportedTimes.Description}"));
            return null;
        }

        return time;
    }

    private static Dictionary<string, string>? ReadAttributes(JsonElement root, List<FieldError> errors)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!root.TryGetProperty("attributes", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return attributes;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(ErrorCodes.InvalidField, "attributes", $"must be an object of request fields, not {Describe(element)}"));
            return null;
        }

        foreach (var property in element.EnumerateObject())
        {
            var field = $"attributes.{property.Name}";
            string? value = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Number => property.Value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => null,
            };
            if (value is null)
            {
                errors.Add(new FieldError(ErrorCodes.InvalidField, field, $"must be a string, number or boolean, not {Describe(property.Value)}"));
            }
            else if ((TextRules.TextError(property.Name, MaxNameLength) ?? TextRules.TextError(value, MaxAttributeLength)) is { } error)
            {
                errors.Add(new FieldError(ErrorCodes.InvalidField, field, error));
            }
            else
            {
                attributes[property.Name] = value;
            }
        }

        if (attributes.Count > MaxAttributes)
        {
            errors.Add(new FieldError(ErrorCodes.InvalidField, "attributes", $"has more than {MaxAttributes} fields"));
        }

        return attributes;
    }

    private static Dictionary<string, decimal>? ReadUsage(JsonElement root, List<FieldError> errors)
    {
        var usage = new Dictionary<string, decimal>(StringComparer.Ordinal);
        if (!root.TryGetProperty("usage", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return usage;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(ErrorCodes.InvalidField, "usage", $"must be an object of meter quantities, not {Describe(element)}"));
            return null;
        }

        foreach (var property in element.EnumerateObject())
        {
            // The meter's own name string: a batch's events name the same few meters a thousand times.
            var name = property.Name;
            if (!Meters.All.TryGetValue(name, out var meter))
            {
                errors.Add(new FieldError(ErrorCodes.UnknownMeter, $"usage.{name}", $"'{name}' is not a meter; see docs/usage-events.md for the list"));
                continue;
            }

            if (ReadQuantity(property.Value, meter, errors) is { } quantity)
            {
                usage[meter] = quantity;
            }
        }

        return usage;
    }

    /// <summary>A meter's quantity; an error names the field <c>usage.</c><paramref name="meter"/>.</summary>
    internal static decimal? ReadQuantity(JsonElement value, string meter, List<FieldError> errors)
    {
        var quantity = 0m;
        var ok = value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetDecimal(out quantity),
            JsonValueKind.String => decimal.TryParse(value.GetString(), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out quantity),
            _ => false,
        };
        if (!ok)
        {
            var reason = value.ValueKind is JsonValueKind.Number or JsonValueKind.String
                ? $"'{value.GetRawText()}' is not a decimal number in range"
                : $"must be a number, not {Describe(value)}";
            errors.Add(new FieldError(ErrorCodes.InvalidField, $"usage.{meter}", reason));
            return null;
        }

        if (quantity < 0)
        {
            errors.Add(new FieldError(ErrorCodes.NegativeQuantity, $"usage.{meter}", $"must not be negative (got {quantity.ToString(CultureInfo.InvariantCulture)})"));
            return null;
        }

        if (quantity > Meters.MaxQuantity)
        {
            errors.Add(new FieldError(ErrorCodes.QuantityTooLarge, $"usage.{meter}", $"is larger than the limit of {Meters.MaxQuantity.ToString(CultureInfo.InvariantCulture)} per event"));
            return null;
        }

        return quantity;
    }

    private static EventContent? ReadContent(JsonElement root, List<FieldError> errors)
    {
        if (!root.TryGetProperty("content", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(ErrorCodes.InvalidField, "content", $"must be an object, not {Describe(element)}"));
            return null;
        }

        const int maxText = 10_000_000;
        var input = OptionalString(element, "input_text", maxText, errors, "content.");
        var output = OptionalString(element, "output_text", maxText, errors, "content.");
        var language = OptionalString(element, "language", 16, errors);
        var tokenizer = OptionalString(element, "tokenizer", 32, errors);
        if (tokenizer is not null && !Estimation.TokenEstimator.IsKnownTokenizer(tokenizer))
        {
            errors.Add(new FieldError(ErrorCodes.InvalidField, "content.tokenizer", $"'{tokenizer}' is not a tokenizer; expected o200k_base, cl100k_base or heuristic"));
        }

        var images = new List<ImageSize>();
        if (element.TryGetProperty("images", out var list) && list.ValueKind != JsonValueKind.Null)
        {
            if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() > MaxImages)
            {
                errors.Add(new FieldError(ErrorCodes.InvalidField, "content.images", $"must be an array of at most {MaxImages} {{width, height}} objects"));
            }
            else
            {
                var index = 0;
                foreach (var image in list.EnumerateArray())
                {
                    var field = $"content.images[{index++}]";
                    if (image.ValueKind == JsonValueKind.Object
                        && image.TryGetProperty("width", out var w) && w.TryGetInt32(out var width)
                        && image.TryGetProperty("height", out var h) && h.TryGetInt32(out var height)
                        && width is > 0 and <= MaxImageSide && height is > 0 and <= MaxImageSide)
                    {
                        images.Add(new ImageSize(width, height));
                    }
                    else
                    {
                        errors.Add(new FieldError(ErrorCodes.InvalidField, field, $"must be {{\"width\": px, \"height\": px}} with whole pixel sizes from 1 to {MaxImageSide}"));
                    }
                }
            }
        }

        return new EventContent(input, output, language, tokenizer, images);
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
