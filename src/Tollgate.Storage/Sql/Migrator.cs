using System.Data.Common;
using Dapper;

namespace Tollgate.Storage.Sql;

/// <summary>Applies the embedded, numbered SQL migrations of a dialect that the database has not seen yet.</summary>
internal static class Migrator
{
    public static async Task<int> MigrateAsync(SqlDialect dialect, CancellationToken cancel)
    {
        await using var connection = await dialect.OpenAsync(cancel);
        await using var tx = await dialect.BeginWriteAsync(connection, cancel);
        if (dialect.MigrationLock.Length > 0)
        {
            await connection.ExecuteAsync(dialect.MigrationLock, transaction: tx);
        }

        await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL)", transaction: tx);
        var applied = (await connection.QueryAsync<int>("SELECT version FROM schema_migrations", transaction: tx)).ToHashSet();
        var count = 0;
        foreach (var (version, name, sql) in Scripts(dialect.Name))
        {
            if (applied.Contains(version))
            {
                continue;
            }

            await connection.ExecuteAsync(sql, transaction: tx);
            await connection.ExecuteAsync("INSERT INTO schema_migrations (version, name) VALUES (@version, @name)", new { version, name }, tx);
            count++;
        }

        await tx.CommitAsync(cancel);
        return count;
    }

    /// <summary>The dialect's own scripts and the scripts both dialects share (Migrations/common), by version.</summary>
    private static IEnumerable<(int Version, string Name, string Sql)> Scripts(string dialect)
    {
        var assembly = typeof(Migrator).Assembly;
        string[] prefixes = [$"migrations/{dialect}/", "migrations/common/"];
        var scripts = assembly.GetManifestResourceNames()
            .Select(resource => (Resource: resource, Prefix: prefixes.FirstOrDefault(p => resource.StartsWith(p, StringComparison.Ordinal))))
            .Where(r => r.Prefix is not null)
            .Select(r => (r.Resource, Name: r.Resource[r.Prefix!.Length..]))
            .OrderBy(r => r.Name, StringComparer.Ordinal);
        foreach (var (resource, name) in scripts)
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            yield return (int.Parse(name.Split('_')[0], System.Globalization.CultureInfo.InvariantCulture), name, reader.ReadToEnd());
        }
    }
}
