using System.Globalization;
using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using YamlDotNet.Serialization;

namespace Tollgate.Core.Catalogs.Import;

/// <summary>
/// Turns LiteLLM's <c>model_prices_and_context_window.json</c> into a Tollgate price book document (YAML), settled
/// in USD. Prices are read from the JSON text as exact decimals. Per-token prices are written per 1M tokens, cache
/// reads and writes (5 minutes, 1 hour), reasoning, audio and image tokens as their own meters; long-context fields
/// (<c>_above_200k_tokens</c> ...) as tiers on input_tokens; <c>_priority</c>, <c>_flex</c> and <c>_batches</c> as
/// attribute multipliers (<c>priority: true</c>, <c>service_tier: flex</c>, <c>batch: true</c>) when they are one
/// multiple of the standard prices. Every entry or field it cannot express is listed with the reason. Pure: text in,
/// text out.
/// </summary>
public static class LiteLlmImport
{
    public static LiteLlmImportResult Import(string json, string id, Instant effectiveFrom, string? version = null)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("a LiteLLM price map is a JSON object of model name -> prices");
        }

        var groups = new Dictionary<string, (string[] Types, List<object> Items)>(StringComparer.Ordinal);
        var partial = new List<PartialEntry>();
        var skipped = new List<SkippedEntry>();
        var entries = 0;
        foreach (var entry in document.RootElement.EnumerateObject())
        {
            entries++;
            var result = LiteLlmEntry.Convert(entry.Name, entry.Value);
            if (result.Item is null)
            {
                skipped.Add(new SkippedEntry(entry.Name, result.Skipped!));
                continue;
            }

            var key = string.Join(",", result.Types);
            if (!groups.TryGetValue(key, out var group))
            {
                groups[key] = group = (result.Types, []);
            }

            group.Items.Add(result.Item);
            if (result.Unexpressed.Count > 0)
            {
                partial.Add(new PartialEntry(entry.Name, result.Unexpressed));
            }
        }

        var book = new Dictionary<string, object>
        {
            ["id"] = id,
            ["name"] = "LiteLLM model prices (imported)",
            ["source"] = "LiteLLM model_prices_and_context_window.json (BerriAI/litellm, MIT license)",
            ["versions"] = new List<object>
            {
                new Dictionary<string, object>
                {
                    ["version"] = version ?? InstantPattern.General.Format(effectiveFrom),
                    ["effective_from"] = InstantPattern.General.Format(effectiveFrom),
                    ["settlement"] = new Dictionary<string, object> { ["unit"] = "USD", ["scale"] = "8", ["rounding"] = "half_up" },
                    ["groups"] = groups.Values.Select(g => new Dictionary<string, object>
                    {
                        ["name"] = string.Join(", ", g.Types) + " (USD; tokens per 1M)",
                        ["types"] = g.Types,
                        ["per"] = "1M",
                        ["currency"] = "USD",
                        ["items"] = g.Items,
                    }).ToList(),
                },
            },
        };

        var yaml = Header(entries, groups.Values.Sum(g => g.Items.Count), partial.Count, skipped.Count) + new SerializerBuilder().Build().Serialize(book);
        return new LiteLlmImportResult(yaml, entries, entries - skipped.Count, partial, skipped);
    }

    private static string Header(int entries, int imported, int partial, int skipped) => string.Create(CultureInfo.InvariantCulture, $"""
        # Imported from LiteLLM's model_prices_and_context_window.json (https://github.com/BerriAI/litellm, MIT license)
        # by `tollgate catalog import litellm`: {imported} of {entries} entries ({partial} with prices left out, {skipped} not imported;
        # the command lists each with the reason). Prices in USD, tokens per 1M.

        """);
}
