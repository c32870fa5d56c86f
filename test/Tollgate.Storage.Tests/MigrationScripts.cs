using Tollgate.Storage.Sql;

namespace Tollgate.Storage.Tests;

/// <summary>The embedded migration scripts of a dialect (its own and the common ones) in the order the migrator applies them, for upgrade tests.</summary>
internal static class MigrationScripts
{
    public static IEnumerable<(int Version, string Name, string Sql)> Of(string dialect)
    {
        var assembly = typeof(SqlDialect).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames()
                     .Where(r => r.StartsWith($"migrations/{dialect}/", StringComparison.Ordinal) || r.StartsWith("migrations/common/", StringComparison.Ordinal))
                     .OrderBy(r => r[(r.LastIndexOf('/') + 1)..], StringComparer.Ordinal))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            var name = resource[(resource.LastIndexOf('/') + 1)..];
            yield return (int.Parse(name.Split('_')[0], System.Globalization.CultureInfo.InvariantCulture), name, reader.ReadToEnd());
        }
    }
}
