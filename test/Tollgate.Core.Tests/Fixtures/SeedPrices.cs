namespace Tollgate.Core.Tests.Fixtures;

/// <summary>
/// The price tables of the seed documents, transcribed row by row into Fixtures/seed-prices.csv
/// (<c>table,name,field,value</c>; a price of <c>-</c> means not offered). See Fixtures/README.md.
/// </summary>
internal static class SeedPrices
{
    private static readonly Lazy<List<string[]>> Cells = new(() => [.. File.ReadAllLines(RepoPaths.Fixture("seed-prices.csv")).Skip(1).Select(Split)]);

    /// <summary>The rows of one table in document order: each name with its fields.</summary>
    public static IReadOnlyList<(string Name, IReadOnlyDictionary<string, string> Fields)> Table(string table) =>
        [.. Cells.Value.Where(c => c[0] == table)
            .GroupBy(c => c[1], StringComparer.Ordinal)
            .Select(g => (g.Key, (IReadOnlyDictionary<string, string>)g.ToDictionary(c => c[2], c => c[3], StringComparer.Ordinal)))];

    // The names hold no commas or quotes, so a plain split is the whole CSV dialect (checked here).
    private static string[] Split(string line)
    {
        var cells = line.Split(',');
        return cells.Length == 4 && !line.Contains('"', StringComparison.Ordinal) ? cells : throw new FormatException("seed-prices.csv: bad row " + line);
    }
}
