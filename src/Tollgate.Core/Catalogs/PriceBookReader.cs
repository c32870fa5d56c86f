using System.Globalization;
using NodaTime;
using NodaTime.Text;
using Tollgate.Core.Events;
using Tollgate.Core.Money;

namespace Tollgate.Core.Catalogs;

/// <summary>
/// Reads a price book document (YAML, or the same shape as JSON) and checks it, naming every mistake by its path.
/// The format is documented in docs/price-books.md.
/// </summary>
/// <remarks>
/// The document is first read into a plain tree (maps, lists, strings) and then mapped by hand, so numbers are
/// parsed as decimals from their text and each error can say where it is.
/// </remarks>
public static partial class PriceBookReader
{
    public static PriceBookReadResult ReadYaml(string text) =>
        PriceBookDocument.TryParse(text, out var tree, out var error) ? Read(tree) : new PriceBookReadResult(null, [error!]);

    /// <summary>Reads the JSON form of a price book: the same document as the YAML form.</summary>
    public static PriceBookReadResult ReadJson(string json)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(json);
            return Read(ToTree(doc.RootElement));
        }
        catch (System.Text.Json.JsonException ex)
        {
            return new PriceBookReadResult(null, [$"not valid JSON: {ex.Message}"]);
        }
    }

    /// <summary>JSON to the reader's plain tree; numbers keep their exact text, as YAML scalars do.</summary>
    private static object? ToTree(System.Text.Json.JsonElement element) => element.ValueKind switch
    {
        System.Text.Json.JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => (object)p.Name, p => ToTree(p.Value)),
        System.Text.Json.JsonValueKind.Array => element.EnumerateArray().Select(ToTree).ToList(),
        System.Text.Json.JsonValueKind.String => element.GetString(),
        System.Text.Json.JsonValueKind.Null => null,
        _ => element.GetRawText(),
    };

    /// <summary>Reads a tree of <see cref="IDictionary{TKey,TValue}"/>, <see cref="IList{T}"/> and string scalars.</summary>
    public static PriceBookReadResult Read(object? tree)
    {
        var errors = new List<string>();
        var book = ReadBook(new Node(tree, "$"), errors);
        return errors.Count == 0 ? new PriceBookReadResult(book, []) : new PriceBookReadResult(null, errors);
    }

    private static PriceBook? ReadBook(Node root, List<string> errors)
    {
        if (!root.IsMap)
        {
            errors.Add("$: a price book must be a mapping with id, name and versions");
            return null;
        }

        root.CheckKeys(errors, "id", "name", "source", "versions");
        var id = root["id"].RequiredString(errors);
        if (id is not null && !IsIdentifier(id))
        {
            errors.Add($"id: '{id}' must be letters, digits, '-', '_' or '.'");
        }

        var versions = new List<PriceBookVersion>();
        var versionsNode = root["versions"];
        if (!versionsNode.IsList || versionsNode.Items.Count == 0)
        {
            errors.Add("versions: must list at least one version");
        }
        else
        {
            foreach (var node in versionsNode.Items)
            {
                if (ReadVersion(node, errors) is { } version)
                {
                    versions.Add(version);
                }
            }
        }

        for (var i = 1; i < versions.Count; i++)
        {
            if (versions[i].EffectiveFrom <= versions[i - 1].EffectiveFrom)
            {
                errors.Add($"versions[{i}].effective_from: must be later than the version before it ({versions[i - 1].EffectiveFrom})");
            }
        }

        if (versions.Select(v => v.Version).Distinct(StringComparer.Ordinal).Count() != versions.Count)
        {
            errors.Add("versions: version names must be unique");
        }

        return id is null ? null : new PriceBook(id, root["name"].OptionalString(errors) ?? id, root["source"].OptionalString(errors), versions);
    }

    private static PriceBookVersion? ReadVersion(Node node, List<string> errors)
    {
        if (!node.IsMap)
        {
            errors.Add($"{node.Path}: must be a mapping");
            return null;
        }

        node.CheckKeys(errors, "version", "effective_from", "settlement", "exchange_rates", "channel_discounts", "attribute_multipliers", "caps", "groups");
        var version = node["version"].RequiredString(errors);
        var effective = ReadInstant(node["effective_from"], errors);
        var settlement = ReadSettlement(node["settlement"], errors);
        var rates = ReadFactorMap(node["exchange_rates"], errors);
        var discounts = ReadFactorMap(node["channel_discounts"], errors);
        var multipliers = ReadMultipliers(node["attribute_multipliers"], errors);
        var defaults = new GroupDefaults(BillingTypes.All, 1m, settlement?.Unit ?? "credits", OtherMeters.Reject, null);

        var caps = new List<PriceCap>();
        foreach (var capNode in node["caps"].ListItems(errors))
        {
            capNode.CheckKeys(errors, "types", "key_mode", "plan", "per", "currency", "prices");
            var capDefaults = ReadDefaults(capNode, defaults, errors);
            caps.Add(new PriceCap(
                capDefaults.Types,
                ReadChoice(capNode["key_mode"], KeyModes.IsKnown, "platform or own", errors),
                ReadChoice(capNode["plan"], Plans.IsKnown, "free or premium", errors),
                ReadPriceSet(capNode["prices"], capDefaults, errors) ?? new Dictionary<string, MeterPrice>()));
        }

        var items = new List<PriceItem>();
        foreach (var group in node["groups"].ListItems(errors))
        {
            group.CheckKeys(errors, "name", "types", "per", "currency", "other_meters", "tokenizer", "items");
            var groupDefaults = ReadDefaults(group, defaults, errors);
            foreach (var itemNode in group["items"].ListItems(errors))
            {
                if (ReadItem(itemNode, groupDefaults, errors) is { } item)
                {
                    items.Add(item);
                }
            }
        }

        if (settlement is not null)
        {
            CheckCurrencies(node.Path, settlement, rates, items, caps, errors);
        }

        if (version is null || effective is null || settlement is null)
        {
            return null;
        }

        return new PriceBookVersion(version, effective.Value, settlement, rates, discounts, multipliers, caps, items);
    }

    private static PriceItem? ReadItem(Node node, GroupDefaults group, List<string> errors)
    {
        if (!node.IsMap)
        {
            errors.Add($"{node.Path}: an item must be a mapping with at least a model");
            return null;
        }

        node.CheckKeys(errors, "brand", "model", "aliases", "patterns", "types", "per", "currency", "other_meters", "tokenizer", "prices", "key_modes", "plans", "tiers", "attribute_multipliers");
        var defaults = ReadDefaults(node, group, errors);
        var model = node["model"].RequiredString(errors);
        var prices = ReadPriceSet(node["prices"], defaults, errors) ?? new Dictionary<string, MeterPrice>();
        var keyModes = ReadVariants(node["key_modes"], KeyModes.IsKnown, "platform or own", defaults, errors);
        var plans = ReadVariants(node["plans"], Plans.IsKnown, "free or premium", defaults, errors);

        var tiers = new List<PriceTier>();
        foreach (var tierNode in node["tiers"].ListItems(errors))
        {
            tierNode.CheckKeys(errors, "meter", "above", "prices");
            var meter = tierNode["meter"].OptionalString(errors) ?? Meters.InputTokens;
            if (!Meters.All.Contains(meter))
            {
                errors.Add($"{tierNode["meter"].Path}: '{meter}' is not a meter");
            }

            var above = tierNode["above"].RequiredDecimal(errors, min: 0m);
            if (ReadPriceSet(tierNode["prices"], defaults, errors) is { } tierPrices && above is not null)
            {
                tiers.Add(new PriceTier(meter, above.Value, tierPrices));
            }
        }

        if (prices.Count == 0 && keyModes.Count == 0 && plans.Count == 0)
        {
            errors.Add($"{node.Path}: item '{model}' has no prices (give prices, key_modes or plans)");
        }

        return model is null ? null : new PriceItem(
            defaults.Types,
            node["brand"].OptionalString(errors),
            model,
            node["aliases"].StringList(errors),
            node["patterns"].StringList(errors),
            prices,
            keyModes,
            plans,
            [.. tiers.OrderBy(t => t.Above)],
            ReadMultipliers(node["attribute_multipliers"], errors),
            defaults.OtherMeters,
            defaults.Tokenizer);
    }

    private static Dictionary<string, IReadOnlyDictionary<string, MeterPrice>?> ReadVariants(
        Node node, Func<string, bool> isKnown, string expected, GroupDefaults defaults, List<string> errors)
    {
        var variants = new Dictionary<string, IReadOnlyDictionary<string, MeterPrice>?>(StringComparer.Ordinal);
        foreach (var (key, value) in node.MapEntries(errors))
        {
            if (!isKnown(key))
            {
                errors.Add($"{value.Path}: '{key}' is not {expected}");
                continue;
            }

            // "-" for a whole variant: not offered that way (a dash in every column of a source table).
            variants[key] = value.Scalar == "-" ? null : ReadPriceSet(value, defaults, errors);
        }

        return variants;
    }
}
