using System.Data.Common;
using Dapper;
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

    /// <summary>
    /// Brings an empty database to the schema just before <paramref name="version"/>, as the migrator would have left it
    /// then: the scripts before it applied and recorded, so that <c>MigrateAsync</c> applies the rest.
    /// </summary>
    public static async Task ApplyBeforeAsync(DbConnection connection, string dialect, int version)
    {
        await connection.ExecuteAsync("CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL)");
        foreach (var (applied, name, sql) in Of(dialect).Where(s => s.Version < version))
        {
            await connection.ExecuteAsync(sql);
            await connection.ExecuteAsync("INSERT INTO schema_migrations (version, name) VALUES (@version, @name)", new { version = applied, name });
        }
    }
}
