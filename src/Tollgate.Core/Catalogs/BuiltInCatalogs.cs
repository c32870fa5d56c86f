using System.Collections.Frozen;

namespace Tollgate.Core.Catalogs;

/// <summary>
/// The price books that ship with Tollgate (the files in catalogs/, embedded in this assembly):
/// <c>coze-credits</c>, <c>gptbots</c> and <c>agent-voice</c>.
/// </summary>
public static class BuiltInCatalogs
{
    private static readonly Lazy<FrozenDictionary<string, PriceBook>> Books = new(Load);

    public static IReadOnlyCollection<PriceBook> All => Books.Value.Values;

    public static PriceBook? Find(string id) => Books.Value.GetValueOrDefault(id);

    public static PriceBook Get(string id) => Find(id) ?? throw new KeyNotFoundException($"no built-in price book '{id}'");

    /// <summary>The YAML text of a built-in price book, as shipped.</summary>
    public static string Text(string id)
    {
        var assembly = typeof(BuiltInCatalogs).Assembly;
        using var stream = assembly.GetManifestResourceStream($"catalogs/{id}.yaml") ?? throw new KeyNotFoundException($"no built-in price book '{id}'");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static FrozenDictionary<string, PriceBook> Load()
    {
        var assembly = typeof(BuiltInCatalogs).Assembly;
        var books = new Dictionary<string, PriceBook>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("catalogs/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var id = Path.GetFileNameWithoutExtension(name);
            var result = PriceBookReader.ReadYaml(Text(id));

            // A broken built-in is a bug in this build, not a user error: fail loudly.
            var book = result.Book ?? throw new InvalidOperationException($"built-in price book {name} is invalid: {string.Join("; ", result.Errors)}");
            books.Add(book.Id, book);
        }

        return books.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
