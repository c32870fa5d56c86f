using System.Globalization;
using Tollgate.Core.Catalogs;
using Tollgate.Core.Events;

namespace Tollgate.Core.Rating;

public static partial class Rater
{
    /// <summary>An item's prices for one (type, key mode, plan), with the caps applied and the choices made. Shared: never changed.</summary>
    private sealed record Resolved(Dictionary<string, MeterPrice>? Prices, Dictionary<string, Modifier> Caps, List<Modifier> Choices);

    /// <summary>
    /// Resolved prices of items without context tiers depend only on (item, type, key mode, plan) (an item belongs to one
    /// version, whose caps apply), so they are worked out once per combination; items with tiers also depend on the
    /// request's size and are resolved each time.
    /// </summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<PriceItem, System.Collections.Concurrent.ConcurrentDictionary<(string, string, string), Resolved>> ResolvedCache = [];

    private static Resolved Resolve(PriceBookVersion version, PriceItem item, UsageEvent e, string plan, IReadOnlyDictionary<string, decimal> quantities)
    {
        if (item.Tiers.Count > 0)
        {
            return ResolveNow(version, item, e.Type, e.KeyMode, plan, quantities);
        }

        var perItem = ResolvedCache.GetValue(item, _ => new());
        var key = (e.Type, e.KeyMode, plan);
        return perItem.TryGetValue(key, out var found) ? found : perItem.GetOrAdd(key, ResolveNow(version, item, e.Type, e.KeyMode, plan, quantities));
    }

    private static Resolved ResolveNow(PriceBookVersion version, PriceItem item, string type, string keyMode, string plan, IReadOnlyDictionary<string, decimal> quantities)
    {
        var prices = ResolvePrices(item, keyMode, plan, quantities, out var choices);
        return prices is null ? new Resolved(null, [], choices) : new Resolved(prices, ApplyCaps(version, type, keyMode, plan, prices), choices);
    }

    /// <summary>
    /// The item's prices for this key mode, plan and request size, or null when the item is not offered so.
    /// <paramref name="choices"/> receives the price choices made, to be shown on every line.
    /// </summary>
    private static Dictionary<string, MeterPrice>? ResolvePrices(
        PriceItem item, string keyMode, string plan, IReadOnlyDictionary<string, decimal> quantities, out List<Modifier> choices)
    {
        choices = [];
        var prices = new Dictionary<string, MeterPrice>(item.Prices, StringComparer.Ordinal);

        if (!Overlay(prices, item.KeyModes, keyMode))
        {
            return null;
        }

        if (item.KeyModes.ContainsKey(keyMode))
        {
            choices.Add(new Modifier("key_mode", null, $"{keyMode} key price"));
        }

        if (!Overlay(prices, item.Plans, plan))
        {
            return null;
        }

        if (item.Plans.ContainsKey(plan))
        {
            choices.Add(new Modifier("plan", null, $"{plan} plan price"));
        }

        PriceTier? tier = null;
        foreach (var candidate in item.Tiers)
        {
            if (quantities.TryGetValue(candidate.Meter, out var q) && q > candidate.Above)
            {
                tier = candidate;
            }
        }

        if (tier is not null)
        {
            foreach (var (meter, price) in tier.Prices)
            {
                prices[meter] = price;
            }

            choices.Add(new Modifier("tier", null, $"{tier.Meter} above {tier.Above.ToString(CultureInfo.InvariantCulture)}: tier price for the whole request"));
        }

        return prices.Count == 0 || prices.Values.All(p => p.NotOffered) ? null : prices;
    }

    /// <summary>Overlays the variant named <paramref name="key"/>; false when that variant is mapped to "not offered".</summary>
    private static bool Overlay(
        Dictionary<string, MeterPrice> prices,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, MeterPrice>?> variants,
        string key)
    {
        if (!variants.TryGetValue(key, out var variant))
        {
            return true;
        }

        if (variant is null)
        {
            return false;
        }

        foreach (var (meter, price) in variant)
        {
            prices[meter] = price;
        }

        return true;
    }

    /// <summary>Lowers prices above a cap to the cap; returns the cap applied per meter.</summary>
    private static Dictionary<string, Modifier> ApplyCaps(PriceBookVersion version, string type, string keyMode, string plan, Dictionary<string, MeterPrice> prices)
    {
        var applied = new Dictionary<string, Modifier>(StringComparer.Ordinal);
        foreach (var cap in version.Caps)
        {
            if (!cap.Types.Contains(type) || (cap.KeyMode is not null && cap.KeyMode != keyMode) || (cap.Plan is not null && cap.Plan != plan))
            {
                continue;
            }

            foreach (var (meter, limit) in cap.Prices)
            {
                if (prices.TryGetValue(meter, out var price) && price.MultipleOf is null && !price.NotOffered
                    && string.Equals(price.Currency, limit.Currency, StringComparison.OrdinalIgnoreCase)
                    && price.Price * limit.Per > limit.Price * price.Per)
                {
                    prices[meter] = limit;
                    applied[meter] = new Modifier(
                        "cap",
                        null,
                        string.Create(CultureInfo.InvariantCulture, $"{meter} price {price.Price}/{price.Per} capped at {limit.Price}/{limit.Per} ({cap.KeyMode ?? "any"} key maximum)"));
                }
            }
        }

        return applied;
    }

    /// <summary>The factors applied to every line: request-field multipliers, then channel and user discount.</summary>
    private static List<Modifier> CommonFactors(PriceBookVersion version, PriceItem item, UsageEvent e, RatingContext context)
    {
        var factors = new List<Modifier>();
        foreach (var multiplier in version.AttributeMultipliers.Concat(item.AttributeMultipliers))
        {
            if (multiplier.Matches(e.Attributes))
            {
                var condition = multiplier.EqualsValue is null ? "present" : $"= {multiplier.EqualsValue}";
                factors.Add(new Modifier("attribute", multiplier.Factor, $"request field {multiplier.Attribute} {condition}"));
            }
        }

        if (version.ChannelDiscounts.TryGetValue(e.Channel, out var channelDiscount) && channelDiscount != 1m)
        {
            factors.Add(new Modifier("channel_discount", channelDiscount, $"channel {e.Channel} discount"));
        }

        if (context.UserDiscount != 1m)
        {
            factors.Add(new Modifier("user_discount", context.UserDiscount, context.DiscountReason));
        }

        return factors;
    }
}
