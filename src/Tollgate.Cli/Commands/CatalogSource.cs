using Tollgate.Core.Catalogs;

namespace Tollgate.Cli.Commands;

/// <summary>Finds a price book by built-in id or by file path.</summary>
internal static class CatalogSource
{
    public static PriceBookReadResult Load(string idOrPath)
    {
        if (BuiltInCatalogs.Find(idOrPath) is { } builtIn)
        {
            return new PriceBookReadResult(builtIn, []);
        }

        if (!File.Exists(idOrPath))
        {
            var ids = string.Join(", ", BuiltInCatalogs.All.Select(b => b.Id).Order(StringComparer.Ordinal));
            return new PriceBookReadResult(null, [$"'{idOrPath}' is neither a built-in price book ({ids}) nor a file"]);
        }

        return PriceBookReader.ReadYaml(File.ReadAllText(idOrPath));
    }
}
