using Tollgate.Core.Events;
using Tollgate.Core.Money;

namespace Tollgate.Core.Catalogs.Import;

/// <summary>The long-context tiers and service-tier variants of an entry.</summary>
internal sealed partial class LiteLlmEntry
{
    /// <summary>The long-context tiers: above N thousand input tokens, the whole request at the tier's prices.</summary>
    private List<Dictionary<string, object>> Tiers()
    {
        var tiers = new SortedDictionary<int, SortedDictionary<string, object>>();
        foreach (var field in costs.Keys.ToList())
        {
            var match = LiteLlmFields.Tier().Match(field);
            // As in LiteLLM, only an input price above N thousand tokens opens a tier; the other prices of the tier follow it.
            if (match.Success && LiteLlmFields.Tokens.TryGetValue(match.Groups["base"].Value, out var meter) && prices.ContainsKey(meter)
                && costs.ContainsKey($"input_cost_per_token_above_{match.Groups["k"].Value}k_tokens"))
            {
                var k = int.Parse(match.Groups["k"].Value, System.Globalization.CultureInfo.InvariantCulture);
                if (!tiers.TryGetValue(k, out var set))
                {
                    tiers[k] = set = new SortedDictionary<string, object>(Comparer<string>.Create((a, b) => Order(a).CompareTo(Order(b))));
                }

                Token(field, meter, set);
            }
        }

        return [.. tiers.Select(t => new Dictionary<string, object>
        {
            ["meter"] = Meters.InputTokens,
            ["above"] = ((t.Key * 1000) - (inclusiveThresholds ? 1 : 0)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["prices"] = new Dictionary<string, object>(t.Value),
        })];
    }

    /// <summary>
    /// A service tier as one multiplier, when every price of that tier (the standard price where LiteLLM has none)
    /// is the same multiple of the standard price; otherwise its fields are listed as not expressed.
    /// </summary>
    private Dictionary<string, object?>? Variant((string Suffix, string Attribute, string EqualsValue) variant)
    {
        var fields = costs.Keys.Where(f => f.EndsWith(variant.Suffix, StringComparison.Ordinal) && priced.Contains(f[..^variant.Suffix.Length])).ToList();
        if (fields.Count == 0)
        {
            return null;
        }

        var ratios = new HashSet<decimal>();
        var expressible = true;
        foreach (var standard in priced)
        {
            var tier = costs.GetValueOrDefault(standard + variant.Suffix, costs[standard]);
            if (costs[standard] == 0m)
            {
                expressible &= tier == 0m;
                continue;
            }

            ratios.Add(DecimalText.Normalize(tier / costs[standard]));
        }

        if (expressible && ratios.Count == 0)
        {
            used.UnionWith(fields);
            return null;
        }

        // The factor must give every tier price exactly (5/3 is no decimal factor: 0.15 x 1.6666... is not 0.25).
        expressible &= ratios.Count == 1 && decimal.Round(ratios.Single(), 12) == ratios.Single() && priced.All(f => costs[f] * ratios.Single() == costs.GetValueOrDefault(f + variant.Suffix, costs[f]));
        if (!expressible)
        {
            unexpressed.Add($"{string.Join(", ", fields)}: the {variant.Suffix.TrimStart('_')} prices are not one exact multiple of the standard prices");
            used.UnionWith(fields);
            return null;
        }

        used.UnionWith(fields);
        var factor = ratios.Single();
        return factor == 1m ? null : new Dictionary<string, object?>
        {
            ["attribute"] = variant.Attribute,
            ["equals"] = variant.EqualsValue,
            ["factor"] = DecimalText.Format(factor),
        };
    }
}
