using System.Collections;
using System.Globalization;

namespace Tollgate.Core.Catalogs;

/// <summary>
/// A value in a loosely typed document tree (maps, lists, string scalars) together with its path, so readers can
/// report "versions[0].groups[2].items[5].prices.input_tokens: must not be negative".
/// </summary>
internal sealed class Node(object? value, string path)
{
    public string Path { get; } = path;

    public bool Exists => value is not null;

    public bool IsMap => value is IDictionary;

    public bool IsList => value is IList;

    public string? Scalar => value as string;

    public IReadOnlyList<Node> Items => value is IList list
        ? [.. list.Cast<object?>().Select((v, i) => new Node(v, $"{Path}[{i}]"))]
        : [];

    public Node this[string key]
    {
        get
        {
            var child = value is IDictionary map && map.Contains(key) ? map[key] : null;
            return new Node(child, Path == "$" ? key : $"{Path}.{key}");
        }
    }

    public IEnumerable<(string Key, Node Value)> MapEntries(List<string> errors)
    {
        if (value is null)
        {
            yield break;
        }

        if (value is not IDictionary map)
        {
            errors.Add($"{Path}: must be a mapping");
            yield break;
        }

        foreach (DictionaryEntry entry in map)
        {
            var key = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty;
            yield return (key, this[key]);
        }
    }

    public IReadOnlyList<Node> ListItems(List<string> errors)
    {
        if (value is not null && !IsList)
        {
            errors.Add($"{Path}: must be a list");
        }

        return Items;
    }

    public void CheckKeys(List<string> errors, params string[] allowed)
    {
        if (value is not IDictionary map)
        {
            return;
        }

        foreach (var key in map.Keys)
        {
            var name = Convert.ToString(key, CultureInfo.InvariantCulture);
            if (Array.IndexOf(allowed, name) < 0)
            {
                errors.Add($"{this[name ?? string.Empty].Path}: unknown field (expected one of {string.Join(", ", allowed)})");
            }
        }
    }

    public string? RequiredString(List<string> errors)
    {
        if (Scalar is { Length: > 0 } text)
        {
            return text;
        }

        errors.Add(value is null ? $"{Path}: is required" : $"{Path}: must be a non-empty text value");
        return null;
    }

    public string? OptionalString(List<string> errors) => value is null ? null : RequiredString(errors);

    public IReadOnlyList<string> StringList(List<string> errors)
    {
        if (value is null)
        {
            return [];
        }

        if (!IsList)
        {
            errors.Add($"{Path}: must be a list of names");
            return [];
        }

        return [.. Items.Select(i => i.RequiredString(errors)).OfType<string>()];
    }

    public decimal? RequiredDecimal(List<string> errors, decimal min = decimal.MinValue, decimal max = decimal.MaxValue)
    {
        if (Scalar is not { } text || !decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            errors.Add(value is null ? $"{Path}: is required" : $"{Path}: '{value}' is not a number");
            return null;
        }

        if (number < min || number > max)
        {
            errors.Add(number < min && min == 0m
                ? $"{Path}: must not be negative (got {text})"
                : $"{Path}: must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)} (got {text})");
            return null;
        }

        return number;
    }
}
