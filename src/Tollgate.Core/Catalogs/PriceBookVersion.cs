using System.Collections.Frozen;
using System.Text.RegularExpressions;
using NodaTime;
using Tollgate.Core.Money;

namespace Tollgate.Core.Catalogs;

/// <summary>
/// The prices in force from <see cref="EffectiveFrom"/> until the next version.
/// </summary>
/// <param name="ExchangeRates">Price currency -> settlement units per one unit of it (USD: 7.3 when settling in CNY).</param>
/// <param name="ChannelDiscounts">Event channel -> discount factor (0.9 = 10% off).</param>
public sealed record PriceBookVersion(
    string Version,
    Instant EffectiveFrom,
    Settlement Settlement,
    IReadOnlyDictionary<string, decimal> ExchangeRates,
    IReadOnlyDictionary<string, decimal> ChannelDiscounts,
    IReadOnlyList<AttributeMultiplier> AttributeMultipliers,
    IReadOnlyList<PriceCap> Caps,
    IReadOnlyList<PriceItem> Items)
{
    private Lookup? lookup;

    /// <summary>
    /// Finds the item for a model within a billing type: by name, brand-qualified name or alias (case-insensitive;
    /// the first item listed wins when a name repeats), then by pattern (<c>*</c> and <c>?</c> wildcards).
    /// </summary>
    public PriceItem? Find(string type, string model)
    {
        // Built on first use; rebuilt when a `with` expression gave this copy other items.
        var index = lookup is { } built && ReferenceEquals(built.Source, Items) ? built : lookup = new Lookup(Items);
        if (!index.ByType.TryGetValue(type, out var names))
        {
            return null;
        }

        if (names.TryGetValue(model, out var item))
        {
            return item;
        }

        foreach (var (pattern, candidate) in index.Patterns)
        {
            if (candidate.Types.Contains(type) && pattern.IsMatch(model))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Settlement units per one unit of <paramref name="currency"/>, or null when there is no rate.</summary>
    public decimal? RateFor(string currency) =>
        string.Equals(currency, Settlement.Unit, StringComparison.OrdinalIgnoreCase) ? 1m
        : ExchangeRates.TryGetValue(currency, out var rate) ? rate
        : null;

    private sealed class Lookup
    {
        public Lookup(IReadOnlyList<PriceItem> items)
        {
            Source = items;
            var byType = new Dictionary<string, Dictionary<string, PriceItem>>(StringComparer.Ordinal);
            var patterns = new List<(Regex, PriceItem)>();
            foreach (var item in items)
            {
                foreach (var type in item.Types)
                {
                    if (!byType.TryGetValue(type, out var names))
                    {
                        byType[type] = names = new Dictionary<string, PriceItem>(StringComparer.OrdinalIgnoreCase);
                    }

                    names.TryAdd(item.Model, item);
                    names.TryAdd(item.QualifiedName, item);
                    foreach (var alias in item.Aliases)
                    {
                        names.TryAdd(alias, item);
                    }
                }

                foreach (var pattern in item.Patterns)
                {
                    patterns.Add((GlobToRegex(pattern), item));
                }
            }

            ByType = byType.ToFrozenDictionary(p => p.Key, p => p.Value.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase), StringComparer.Ordinal);
            Patterns = [.. patterns];
        }

        public IReadOnlyList<PriceItem> Source { get; }

        public FrozenDictionary<string, FrozenDictionary<string, PriceItem>> ByType { get; }

        public (Regex Pattern, PriceItem Item)[] Patterns { get; }

        private static Regex GlobToRegex(string glob) =>
            new("^" + Regex.Escape(glob).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$",
                RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50));
    }
}
