using System.Globalization;
using NodaTime;
using Tollgate.Core.Calendar;
using Tollgate.Core.Events;
using Tollgate.Core.Estimation;
using Tollgate.Core.Money;

namespace Tollgate.Core.Catalogs;

public static partial class PriceBookReader
{
    /// <summary>Values a group (or the version) gives its items unless an item says otherwise.</summary>
    private sealed record GroupDefaults(IReadOnlySet<string> Types, decimal Per, string Currency, OtherMeters OtherMeters, string? Tokenizer);

    private static GroupDefaults ReadDefaults(Node node, GroupDefaults outer, List<string> errors)
    {
        var types = outer.Types;
        if (node["types"].Exists)
        {
            var list = node["types"].StringList(errors);
            foreach (var type in list.Where(t => !BillingTypes.All.Contains(t)))
            {
                errors.Add($"{node["types"].Path}: '{type}' is not a billing type");
            }

            types = list.ToHashSet(StringComparer.Ordinal);
        }

        var per = node["per"].Exists ? ReadPer(node["per"], errors) ?? outer.Per : outer.Per;
        var currency = node["currency"].OptionalString(errors) ?? outer.Currency;
        var other = outer.OtherMeters;
        if (node["other_meters"].OptionalString(errors) is { } otherText)
        {
            other = otherText switch
            {
                "reject" => OtherMeters.Reject,
                "ignore" => OtherMeters.Ignore,
                _ => Report(errors, $"{node["other_meters"].Path}: must be reject or ignore", outer.OtherMeters),
            };
        }

        var tokenizer = node["tokenizer"].OptionalString(errors) ?? outer.Tokenizer;
        if (tokenizer is not null && !TokenEstimator.IsKnownTokenizer(tokenizer))
        {
            errors.Add($"{node["tokenizer"].Path}: '{tokenizer}' is not o200k_base, cl100k_base or heuristic");
        }

        return new GroupDefaults(types, per, currency, other, tokenizer);
    }

    private static Dictionary<string, MeterPrice>? ReadPriceSet(Node node, GroupDefaults defaults, List<string> errors)
    {
        if (!node.Exists)
        {
            return null;
        }

        var set = new Dictionary<string, MeterPrice>(StringComparer.Ordinal);
        foreach (var (meter, value) in node.MapEntries(errors))
        {
            if (!Meters.All.Contains(meter))
            {
                errors.Add($"{value.Path}: '{meter}' is not a meter");
                continue;
            }

            if (ReadMeterPrice(value, defaults, errors) is { } price)
            {
                set[meter] = price;
            }
        }

        foreach (var (meter, price) in set)
        {
            if (price.MultipleOf is { } target && (!Meters.All.Contains(target) || (set.TryGetValue(target, out var t) && t.MultipleOf is not null)))
            {
                errors.Add($"{node.Path}.{meter}.multiple_of: '{target}' must be a meter with a price of its own");
            }
        }

        return set;
    }

    private static MeterPrice? ReadMeterPrice(Node node, GroupDefaults defaults, List<string> errors)
    {
        if (node.Scalar == "-")
        {
            return new MeterPrice(0m, defaults.Per, defaults.Currency, NotOffered: true);
        }

        if (node.Scalar is not null)
        {
            var price = node.RequiredDecimal(errors, min: 0m);
            return price is null ? null : new MeterPrice(price.Value, defaults.Per, defaults.Currency);
        }

        if (!node.IsMap)
        {
            errors.Add($"{node.Path}: must be a price, \"-\" or a mapping with price or multiple_of");
            return null;
        }

        node.CheckKeys(errors, "price", "per", "currency", "multiple_of", "factor");
        var per = node["per"].Exists ? ReadPer(node["per"], errors) ?? defaults.Per : defaults.Per;
        var currency = node["currency"].OptionalString(errors) ?? defaults.Currency;
        if (node["multiple_of"].OptionalString(errors) is { } target)
        {
            var factor = node["factor"].RequiredDecimal(errors, min: 0m);
            return factor is null ? null : new MeterPrice(0m, per, currency, target, factor.Value);
        }

        var value = node["price"].RequiredDecimal(errors, min: 0m);
        return value is null ? null : new MeterPrice(value.Value, per, currency);
    }

    /// <summary>A unit size: a number, or 1K, 1M, minute, hour (for seconds meters).</summary>
    private static decimal? ReadPer(Node node, List<string> errors)
    {
        var text = node.Scalar;
        decimal? per = text switch
        {
            null => null,
            "1K" or "1k" => 1_000m,
            "1M" => 1_000_000m,
            "minute" => 60m,
            "hour" => 3_600m,
            _ => decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) ? n : null,
        };
        if (per is null or <= 0m)
        {
            errors.Add($"{node.Path}: unit size must be a positive number or one of 1K, 1M, minute, hour");
            return null;
        }

        return per;
    }

    private static Settlement? ReadSettlement(Node node, List<string> errors)
    {
        if (!node.IsMap)
        {
            errors.Add($"{node.Path}: must give the settlement unit, such as {{unit: credits, scale: 6, rounding: half_up}}");
            return null;
        }

        node.CheckKeys(errors, "unit", "scale", "rounding");
        var unit = node["unit"].RequiredString(errors);
        var scale = node["scale"].Exists ? node["scale"].RequiredDecimal(errors, min: 0m, max: Settlement.MaxScale) : Settlement.DefaultScale;
        if (scale is not null && scale != decimal.Truncate(scale.Value))
        {
            errors.Add($"{node["scale"].Path}: must be a whole number of decimal places");
        }

        var mode = RoundingMode.HalfUp;
        if (node["rounding"].OptionalString(errors) is { } text && !Settlement.TryParseMode(text, out mode))
        {
            errors.Add($"{node["rounding"].Path}: must be half_up, half_even, up or down");
        }

        return unit is null || scale is null ? null : new Settlement(unit, (int)scale.Value, mode);
    }

    private static Instant? ReadInstant(Node node, List<string> errors)
    {
        var text = node.RequiredString(errors);
        if (text is null)
        {
            return null;
        }

        if (IsoTime.Parse(text) is not { } time)
        {
            errors.Add($"{node.Path}: '{text}' is not an ISO 8601 time with an offset");
            return null;
        }

        return time.ToInstant();
    }

    private static Dictionary<string, decimal> ReadFactorMap(Node node, List<string> errors)
    {
        var map = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in node.MapEntries(errors))
        {
            if (value.RequiredDecimal(errors, min: 0m) is { } factor)
            {
                if (factor == 0m)
                {
                    errors.Add($"{value.Path}: must be greater than zero");
                }

                map[key] = factor;
            }
        }

        return map;
    }

    private static List<AttributeMultiplier> ReadMultipliers(Node node, List<string> errors)
    {
        var list = new List<AttributeMultiplier>();
        foreach (var entry in node.ListItems(errors))
        {
            entry.CheckKeys(errors, "attribute", "equals", "factor");
            var attribute = entry["attribute"].RequiredString(errors);
            var factor = entry["factor"].RequiredDecimal(errors, min: 0m);
            if (attribute is not null && factor is not null)
            {
                list.Add(new AttributeMultiplier(attribute, entry["equals"].OptionalString(errors), factor.Value));
            }
        }

        return list;
    }

    private static string? ReadChoice(Node node, Func<string, bool> isKnown, string expected, List<string> errors)
    {
        var text = node.OptionalString(errors);
        if (text is not null && !isKnown(text))
        {
            errors.Add($"{node.Path}: '{text}' is not {expected}");
        }

        return text;
    }

    private static void CheckCurrencies(string path, Settlement settlement, Dictionary<string, decimal> rates, List<PriceItem> items, List<PriceCap> caps, List<string> errors)
    {
        var currencies = items
            .SelectMany(i => i.Prices.Values
                .Concat(i.KeyModes.Values.SelectMany(v => v?.Values ?? []))
                .Concat(i.Plans.Values.SelectMany(v => v?.Values ?? []))
                .Concat(i.Tiers.SelectMany(t => t.Prices.Values)))
            .Concat(caps.SelectMany(c => c.Prices.Values))
            .Select(p => p.Currency)
            .Distinct(StringComparer.OrdinalIgnoreCase);
        foreach (var currency in currencies)
        {
            if (!string.Equals(currency, settlement.Unit, StringComparison.OrdinalIgnoreCase) && !rates.ContainsKey(currency))
            {
                errors.Add($"{path}.exchange_rates: prices in {currency} need a rate to the settlement unit {settlement.Unit}");
            }
        }
    }

    private static bool IsIdentifier(string id) => id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static T Report<T>(List<string> errors, string message, T fallback)
    {
        errors.Add(message);
        return fallback;
    }
}
