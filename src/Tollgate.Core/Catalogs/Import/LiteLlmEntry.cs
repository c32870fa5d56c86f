using System.Text.Json;
using Tollgate.Core.Events;
using Tollgate.Core.Money;

namespace Tollgate.Core.Catalogs.Import;

/// <summary>One entry of LiteLLM's price map as a price book item, or the reason it cannot be one.</summary>
internal sealed partial class LiteLlmEntry
{
    private const decimal Million = 1_000_000m;

    private readonly string name;
    private readonly string mode;
    private readonly bool inclusiveThresholds;
    private readonly Dictionary<string, decimal> costs = new(StringComparer.Ordinal);
    private readonly HashSet<string> used = new(StringComparer.Ordinal);
    private readonly HashSet<string> priced = new(StringComparer.Ordinal);
    private readonly List<string> unexpressed = [];
    private readonly SortedDictionary<string, object> prices = new(Comparer<string>.Create((a, b) => Order(a).CompareTo(Order(b))));

    private LiteLlmEntry(string name, string mode, bool inclusiveThresholds)
    {
        this.name = name;
        this.mode = mode;
        this.inclusiveThresholds = inclusiveThresholds;
    }

    /// <summary>The item (a tree for the YAML document) and its billing types, or the reason for leaving the entry out.</summary>
    public sealed record Result(Dictionary<string, object?>? Item, string[] Types, string? Skipped, IReadOnlyList<string> Unexpressed);

    public static Result Convert(string name, JsonElement entry)
    {
        if (name == "sample_spec")
        {
            return new Result(null, [], "documents the fields of the map; not a model", []);
        }

        var mode = entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("mode", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : null;
        if (mode is null || !LiteLlmFields.Modes.TryGetValue(mode, out var types))
        {
            return new Result(null, [], mode is null ? "no mode, so no billing type" : $"mode '{mode}' has no Tollgate billing type", []);
        }

        // LiteLLM bills xAI's long-context rate once the prompt reaches the threshold (>=), every other provider's above it (>).
        var provider = entry.TryGetProperty("litellm_provider", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        var converter = new LiteLlmEntry(name, mode, provider == "xai");
        if (entry.TryGetProperty("tiered_pricing", out _))
        {
            converter.unexpressed.Add("tiered_pricing: prices by input-size ranges, which this import does not read");
        }

        foreach (var field in entry.EnumerateObject().Where(f => f.Name.Contains("cost", StringComparison.Ordinal)))
        {
            if (field.Value.ValueKind == JsonValueKind.Number)
            {
                // Exact: the number's text as a decimal (2.5e-06 is 0.0000025), never through a double.
                converter.costs[field.Name] = field.Value.GetDecimal();
            }
            else if (field.Value.ValueKind == JsonValueKind.Object && field.Value.EnumerateObject().Any(p => p.Value.ValueKind == JsonValueKind.Number && p.Value.GetDecimal() != 0m))
            {
                converter.unexpressed.Add($"{field.Name}: prices by option ({string.Join(", ", field.Value.EnumerateObject().Select(p => p.Name))}), which Tollgate's events do not carry");
            }
        }

        return converter.Build(types);
    }

    private Result Build(string[] types)
    {
        foreach (var (field, meter) in LiteLlmFields.Tokens)
        {
            Token(field, meter, prices);
        }

        Units();
        var tiers = Tiers();
        var multipliers = LiteLlmFields.Variants.Select(Variant).OfType<Dictionary<string, object?>>().ToList();
        foreach (var (field, value) in costs.Where(c => !used.Contains(c.Key) && c.Value != 0m).OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            unexpressed.Add($"{field}: no Tollgate meter prices it for mode {mode}");
        }

        if (prices.Count == 0)
        {
            return new Result(null, [], unexpressed.Count == 0 ? "the map gives it no price" : "no price Tollgate can express (" + string.Join("; ", unexpressed) + ")", []);
        }

        if (types.Contains(BillingTypes.LlmText) && !types.Contains(BillingTypes.LlmAudio) && (prices.ContainsKey(Meters.AudioInputTokens) || prices.ContainsKey(Meters.AudioOutputTokens)))
        {
            types = [BillingTypes.LlmText, BillingTypes.LlmAudio];
        }

        var item = new Dictionary<string, object?> { ["model"] = name, ["prices"] = new Dictionary<string, object>(prices) };
        if (tiers.Count > 0)
        {
            item["tiers"] = tiers;
        }

        if (multipliers.Count > 0)
        {
            item["attribute_multipliers"] = multipliers;
        }

        return new Result(item, types, null, unexpressed);
    }

    private void Token(string field, string meter, IDictionary<string, object> into)
    {
        if (costs.TryGetValue(field, out var cost))
        {
            into[meter] = DecimalText.Format(cost * Million);
            used.Add(field);
            priced.Add(field);
        }
    }

    /// <summary>Prices per second, character, image, pixel, query or request, for the modes whose events carry that meter.</summary>
    private void Units()
    {
        var image = mode is "image_generation" or "image_edit";
        if (image && !prices.ContainsKey(Meters.OutputTokens) && prices.TryGetValue(Meters.ImageOutputTokens, out var imageOutput))
        {
            // LiteLLM bills an image model's output tokens at its image-token price when it has no output price.
            prices[Meters.OutputTokens] = imageOutput;
        }

        Unit("output_cost_per_image", Meters.Images, 1m, image || mode is "chat" or "responses");
        Unit("input_cost_per_image", Meters.Images, 1m, image && !prices.ContainsKey(Meters.Images));
        Unit("input_cost_per_pixel", Meters.Megapixels, Million, image);
        Unit("output_cost_per_pixel", Meters.Megapixels, Million, image && !prices.ContainsKey(Meters.Megapixels));
        Unit("input_cost_per_second", Meters.AudioSeconds, 1m, mode == "audio_transcription");
        Unit("output_cost_per_second", Meters.VideoSeconds, 1m, mode == "video_generation");
        Unit("input_cost_per_character", Meters.Characters, 1m, mode == "audio_speech");
        if (costs.TryGetValue("input_cost_per_token_cache_hit", out var hit) && costs.TryGetValue("cache_read_input_token_cost", out var read) && hit == read)
        {
            used.Add("input_cost_per_token_cache_hit"); // the cache read price again, under DeepSeek's name
        }

        Unit("input_cost_per_query", Meters.Calls, 1m, true);
        Unit("input_cost_per_request", Meters.Calls, 1m, !prices.ContainsKey(Meters.Calls));
    }

    /// <summary>A per-unit price (scaled to the meter's unit: a pixel price is per megapixel); a zero price of another unit is left out.</summary>
    private void Unit(string field, string meter, decimal scale, bool applies)
    {
        if (applies && costs.TryGetValue(field, out var cost) && (cost != 0m || !prices.ContainsKey(meter)))
        {
            prices[meter] = new Dictionary<string, object> { ["price"] = DecimalText.Format(cost * scale), ["per"] = "1" };
            used.Add(field);
            priced.Add(field);
        }
    }

    private static readonly Dictionary<string, int> Rank = Meters.Ordered.Select((m, i) => (m, i)).ToDictionary(p => p.m, p => p.i, StringComparer.Ordinal);

    private static int Order(string meter) => Rank[meter];
}
