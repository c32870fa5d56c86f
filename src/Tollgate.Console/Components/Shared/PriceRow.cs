using Tollgate.Core.Catalogs;

namespace Tollgate.WebConsole.Components.Shared;

/// <summary>One price of the pricing page: an item's meter under a layer (base, a key mode, a plan, a tier).</summary>
public sealed record PriceRow(string Types, string Model, string Meter, string Layer, MeterPrice? Price)
{
    /// <summary>Flattens a version's items into rows, in the catalog's order, filtered by a search text (model, alias, type, meter).</summary>
    public static IReadOnlyList<PriceRow> Of(PriceBookVersion version, string? search)
    {
        var rows = new List<PriceRow>();
        foreach (var item in version.Items)
        {
            var types = string.Join(", ", item.Types.Order(StringComparer.Ordinal));
            if (!string.IsNullOrWhiteSpace(search)
                && !item.QualifiedName.Contains(search, StringComparison.OrdinalIgnoreCase)
                && !item.Aliases.Any(a => a.Contains(search, StringComparison.OrdinalIgnoreCase))
                && !types.Contains(search, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            void Add(string layer, IReadOnlyDictionary<string, MeterPrice>? prices)
            {
                if (prices is null)
                {
                    rows.Add(new PriceRow(types, item.QualifiedName, "—", layer + " (not offered)", null));
                    return;
                }

                rows.AddRange(prices.Select(p => new PriceRow(types, item.QualifiedName, p.Key, layer, p.Value)));
            }

            Add("base", item.Prices);
            foreach (var (mode, prices) in item.KeyModes)
            {
                Add("key " + mode, prices);
            }

            foreach (var (plan, prices) in item.Plans)
            {
                Add("plan " + plan, prices);
            }

            foreach (var tier in item.Tiers)
            {
                Add($"tier {tier.Meter} > {Format.N(tier.Above)}", tier.Prices);
            }
        }

        return rows;
    }

    /// <summary>How a price is quoted: per 1K, per 1M, per call, or per N.</summary>
    public string Per => Price is null ? string.Empty : Price.Per switch
    {
        1m => "per unit",
        1000m => "per 1K",
        1_000_000m => "per 1M",
        _ => "per " + Format.N(Price.Per),
    };
}
