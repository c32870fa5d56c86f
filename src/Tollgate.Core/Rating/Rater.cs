using System.Globalization;
using Tollgate.Core.Catalogs;
using Tollgate.Core.Estimation;
using Tollgate.Core.Events;
using Tollgate.Core.Money;

namespace Tollgate.Core.Rating;

/// <summary>
/// Rating: a pure function of (event, price book, tenant context) to a rated charge or a rating error.
/// </summary>
/// <remarks>
/// Steps: pick the version in force at the event's time; find the item by type and model; estimate missing counts
/// from content; resolve the item's prices for the key mode, plan and context tier; cap them; split token totals
/// into their separately priced parts; price each meter; sum; round the total once.
/// </remarks>
public static partial class Rater
{
    /// <summary>Meters in rating order with their parts; parts themselves are left out (they are priced with their total).</summary>
    private static readonly (string Meter, string[]? Parts)[] PricedMeters =
        [.. Meters.Ordered.Where(m => !Meters.TotalOf.ContainsKey(m)).Select(m => (m, Meters.PartsOf.GetValueOrDefault(m)))];

    public static RatingResult Rate(UsageEvent e, PriceBook book, RatingContext context)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(context);

        var version = book.VersionAt(e.Instant);
        if (version is null)
        {
            return RatingResult.Fail(ErrorCodes.NoPriceBookVersion, $"price book '{book.Id}' has no version in force at {e.Time:uuuu'-'MM'-'dd'T'HH':'mm':'sso<g>} (the first starts {book.Versions[0].EffectiveFrom})", "time");
        }

        var item = version.Find(e.Type, e.Model);
        if (item is null)
        {
            return RatingResult.Fail(ErrorCodes.UnknownModel, $"price book {book.Id}@{version.Version} has no model '{e.Model}' for type {e.Type}", "model");
        }

        var usage = UsageEstimate.For(e, item.Tokenizer);
        var (resolved, caps, choices) = Resolve(version, item, e, context.Plan, usage.Quantities);
        if (resolved is null)
        {
            return RatingResult.Fail(ErrorCodes.ModelNotOffered, $"'{item.QualifiedName}' is not offered with key_mode {e.KeyMode} on plan {context.Plan} in {book.Id}@{version.Version}", "key_mode");
        }

        var factors = CommonFactors(version, item, e, context);
        var lines = new List<ChargeLine>(4);
        var quantities = usage.Quantities;

        foreach (var (meter, parts) in PricedMeters)
        {
            if (parts is not null)
            {
                if (PriceTotalWithParts(meter, parts, quantities, resolved, item, version, caps, choices, factors, usage, lines) is { } error)
                {
                    return new RatingResult(null, error);
                }

                continue;
            }

            var defaulted = false;
            if (!quantities.TryGetValue(meter, out var quantity))
            {
                // A per-request price charges once per event when the event does not count its calls.
                if (meter != Meters.Calls || !resolved.ContainsKey(Meters.Calls))
                {
                    continue;
                }

                quantity = 1m;
                defaulted = true;
            }

            if (quantity == 0m)
            {
                continue;
            }

            var line = PriceLine(meter, quantity, resolved, item, version, caps, choices, factors, usage.Estimated.Contains(meter), out var lineError);
            if (lineError is not null)
            {
                return new RatingResult(null, lineError);
            }

            if (line is not null)
            {
                lines.Add(defaulted ? line with { Modifiers = [.. line.Modifiers, new Modifier("default_quantity", null, "one call per event: the event gave no calls count")] } : line);
            }
        }

        var subtotal = 0m;
        foreach (var line in lines)
        {
            subtotal += line.Amount;
        }

        var total = DecimalText.Normalize(version.Settlement.Round(subtotal));
        return RatingResult.Ok(new RatedCharge(e.Id, total, DecimalText.Normalize(subtotal), version.Settlement.Unit, lines, book.Id, version.Version));
    }

    private static RatingError? PriceTotalWithParts(
        string total,
        string[] parts,
        IReadOnlyDictionary<string, decimal> quantities,
        Dictionary<string, MeterPrice> resolved,
        PriceItem item,
        PriceBookVersion version,
        Dictionary<string, Modifier> caps,
        List<Modifier> choices,
        List<Modifier> factors,
        UsageEstimate usage,
        List<ChargeLine> lines)
    {
        var totalQuantity = quantities.TryGetValue(total, out var t) ? t : 0m;
        var partSum = 0m;
        foreach (var part in parts)
        {
            partSum += quantities.TryGetValue(part, out var q) ? q : 0m;
        }

        if (partSum > totalQuantity)
        {
            var named = string.Join(" + ", parts.Where(p => quantities.TryGetValue(p, out var q) && q > 0));
            return new RatingError(
                ErrorCodes.PartsExceedTotal,
                string.Create(CultureInfo.InvariantCulture, $"{named} ({DecimalText.Format(partSum)}) exceed {total} ({DecimalText.Format(totalQuantity)}); {total} is the whole, its parts are contained in it"),
                $"usage.{total}");
        }

        // Parts with a price of their own are billed at it and taken out of the total; the rest stays in the total.
        var partLines = new List<ChargeLine>();
        var remainder = totalQuantity;
        foreach (var part in parts)
        {
            if (!quantities.TryGetValue(part, out var quantity) || quantity == 0m || !resolved.ContainsKey(part))
            {
                continue;
            }

            var line = PriceLine(part, quantity, resolved, item, version, caps, choices, factors, usage.Estimated.Contains(part), out var error);
            if (error is not null)
            {
                return error;
            }

            partLines.Add(line!);
            remainder -= quantity;
        }

        if (remainder > 0m)
        {
            var line = PriceLine(total, remainder, resolved, item, version, caps, choices, factors, usage.Estimated.Contains(total), out var error);
            if (error is not null)
            {
                return error;
            }

            if (line is not null)
            {
                lines.Add(line);
            }
        }

        lines.AddRange(partLines);
        return null;
    }

    /// <summary>Prices one meter; null with no error when the item ignores meters it does not price.</summary>
    private static ChargeLine? PriceLine(
        string meter,
        decimal quantity,
        Dictionary<string, MeterPrice> resolved,
        PriceItem item,
        PriceBookVersion version,
        Dictionary<string, Modifier> caps,
        List<Modifier> choices,
        List<Modifier> factors,
        bool estimated,
        out RatingError? error)
    {
        error = null;
        if (!resolved.TryGetValue(meter, out var price))
        {
            if (item.OtherMeters == OtherMeters.Ignore)
            {
                return null;
            }

            var priced = string.Join(", ", resolved.Where(p => !p.Value.NotOffered).Select(p => p.Key));
            error = new RatingError(ErrorCodes.UnpricedMeter, $"'{item.QualifiedName}' has no price for {meter} (it prices: {priced})", $"usage.{meter}");
            return null;
        }

        var modifiers = new List<Modifier>(choices);
        if (caps.TryGetValue(meter, out var cap))
        {
            modifiers.Add(cap);
        }

        if (price.MultipleOf is { } baseMeter)
        {
            var basePrice = resolved[baseMeter]; // the loader guarantees multiples name a priced meter
            if (caps.TryGetValue(baseMeter, out var baseCap))
            {
                modifiers.Add(baseCap);
            }

            modifiers.Add(new Modifier("multiple", price.Factor, $"{price.Factor.ToString(CultureInfo.InvariantCulture)} x the {baseMeter} price"));
            price = basePrice with { Price = basePrice.Price * price.Factor, NotOffered = basePrice.NotOffered || price.NotOffered };
        }

        if (price.NotOffered)
        {
            error = new RatingError(ErrorCodes.ModelNotOffered, $"'{item.QualifiedName}' has no published price for {meter} in {version.Version}", $"usage.{meter}");
            return null;
        }

        var rate = version.RateFor(price.Currency);
        if (rate is null)
        {
            error = new RatingError(ErrorCodes.NoExchangeRate, $"no exchange rate from {price.Currency} to {version.Settlement.Unit}", "model");
            return null;
        }

        var amount = quantity * price.Price;
        foreach (var factor in factors)
        {
            amount *= factor.Factor!.Value;
        }

        modifiers.AddRange(factors);
        if (rate.Value != 1m)
        {
            amount *= rate.Value;
            modifiers.Add(new Modifier("exchange", rate.Value, $"1 {price.Currency} = {rate.Value.ToString(CultureInfo.InvariantCulture)} {version.Settlement.Unit}"));
        }

        amount /= price.Per;
        return new ChargeLine(meter, quantity, DecimalText.Normalize(price.Price), price.Per, price.Currency, DecimalText.Normalize(amount), modifiers, estimated);
    }
}
