using System.Data.Common;

namespace Tollgate.Storage.Tests;

/// <summary>
/// Ready to shard by tenant (issue 13, "Beyond one machine"; docs/scaling.md): read from the schema catalog of a
/// migrated store, every primary key and unique index leads with tenant_id, except on the small reference tables,
/// and no foreign key joins rows of two tenants. Citus needs both to distribute the tables by tenant_id.
/// </summary>
public sealed class TenancyTests
{
    /// <summary>
    /// Small tables every node may hold whole (Citus reference tables): price books, API keys and webhook endpoints
    /// are looked up without a tenant (a key by its id, an operator's webhook for every tenant); gateway_keys: the
    /// metering gateway's keys, looked up by id like api_keys. schema_migrations: the migrator's own bookkeeping.
    /// </summary>
    public static readonly IReadOnlySet<string> ReferenceTables = new HashSet<string>(StringComparer.Ordinal)
    {
        "price_books", "api_keys", "webhooks", "gateway_keys", "schema_migrations",
    };

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Schema_EveryPrimaryKeyAndUniqueIndex_LeadsWithTenantIdOutsideTheReferenceTables(string engine)
    {
        var (store, _) = await StoreFixture.StoreAsync(engine);
        await using var connection = await store.Dialect.OpenAsync(default);
        var catalog = engine == "postgres" ? await PostgresCatalogAsync(connection) : await SqliteCatalogAsync(connection);

        Assert.Contains("webhook_deliveries", catalog.Tables.Keys);
        Assert.True(catalog.Tables.Count >= 15, string.Join(", ", catalog.Tables.Keys));
        var distributed = catalog.Tables.Where(t => !ReferenceTables.Contains(t.Key)).ToList();
        Assert.All(distributed, t => Assert.True(t.Value, $"{t.Key} has no NOT NULL tenant_id column"));
        var offending = catalog.Keys
            .Where(k => !ReferenceTables.Contains(k.Table) && k.Columns[0] != "tenant_id")
            .Select(k => $"{k.Table}.{k.Name} ({string.Join(", ", k.Columns)})")
            .ToList();
        Assert.True(offending.Count == 0, "keys that do not lead with tenant_id: " + string.Join("; ", offending));
        Assert.Contains(catalog.Keys, k => k.Table == "webhook_deliveries" && k.Columns.SequenceEqual(["tenant_id", "delivery_id"]));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Schema_ForeignKeys_NeverJoinRowsOfTwoTenants(string engine)
    {
        var (store, _) = await StoreFixture.StoreAsync(engine);
        await using var connection = await store.Dialect.OpenAsync(default);
        var catalog = engine == "postgres" ? await PostgresCatalogAsync(connection) : await SqliteCatalogAsync(connection);

        // A foreign key between distributed tables must pair tenant_id with tenant_id (a co-located join); one to a
        // reference table may point anywhere.
        var crossing = catalog.ForeignKeys
            .Where(f => !ReferenceTables.Contains(f.To) && !f.Pairs.Contains(("tenant_id", "tenant_id")))
            .Select(f => $"{f.From} -> {f.To}")
            .ToList();
        Assert.True(crossing.Count == 0, "foreign keys across tenants: " + string.Join("; ", crossing));
    }

    internal sealed record Key(string Table, string Name, IReadOnlyList<string> Columns);

    internal sealed record ForeignKey(string From, string To, IReadOnlyList<(string From, string To)> Pairs);

    /// <param name="Tables">Each table, and whether it has a NOT NULL tenant_id column.</param>
    internal sealed record Catalog(IReadOnlyDictionary<string, bool> Tables, IReadOnlyList<Key> Keys, IReadOnlyList<ForeignKey> ForeignKeys);

    private static async Task<Catalog> PostgresCatalogAsync(DbConnection connection)
    {
        var tables = await RowsAsync(connection,
            "SELECT c.relname, EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND a.attnotnull) " +
            "FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')");
        var keys = await RowsAsync(connection,
            "SELECT t.relname, i.relname, array_to_string(ARRAY(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY k(n, o) " +
            "JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.n ORDER BY k.o), ',') " +
            "FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid " +
            "WHERE t.relnamespace = current_schema()::regnamespace AND (x.indisunique OR x.indisprimary)");
        var foreign = await RowsAsync(connection,
            "SELECT f.conrelid::regclass::text, f.confrelid::regclass::text, array_to_string(ARRAY(SELECT a.attname || '=' || b.attname " +
            "FROM unnest(f.conkey, f.confkey) k(c, r) JOIN pg_attribute a ON a.attrelid = f.conrelid AND a.attnum = k.c " +
            "JOIN pg_attribute b ON b.attrelid = f.confrelid AND b.attnum = k.r), ',') " +
            "FROM pg_constraint f WHERE f.contype = 'f' AND f.connamespace = current_schema()::regnamespace");
        return new Catalog(
            tables.ToDictionary(r => (string)r[0], r => (bool)r[1], StringComparer.Ordinal),
            [.. keys.Select(r => new Key((string)r[0], (string)r[1], ((string)r[2]).Split(',')))],
            [.. foreign.Select(r => new ForeignKey((string)r[0], (string)r[1], [.. ((string)r[2]).Split(',').Select(p => (p.Split('=')[0], p.Split('=')[1]))]))]);
    }

    private static async Task<Catalog> SqliteCatalogAsync(DbConnection connection)
    {
        var tables = new Dictionary<string, bool>(StringComparer.Ordinal);
        var keys = new List<Key>();
        var foreign = new List<ForeignKey>();
        foreach (var table in (await RowsAsync(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")).Select(r => (string)r[0]))
        {
            var columns = await RowsAsync(connection, $"PRAGMA table_info('{table}')");
            // NOT NULL, or the primary key (SQLite does not mark a text primary key NOT NULL).
            tables[table] = columns.Any(c => (string)c[1] == "tenant_id" && (Convert.ToInt64(c[3], System.Globalization.CultureInfo.InvariantCulture) == 1 || Convert.ToInt64(c[5], System.Globalization.CultureInfo.InvariantCulture) > 0));
            var indexes = await RowsAsync(connection, $"PRAGMA index_list('{table}')");
            foreach (var index in indexes.Where(i => Convert.ToInt64(i[2], System.Globalization.CultureInfo.InvariantCulture) == 1).Select(i => (string)i[1]))
            {
                keys.Add(new Key(table, index, [.. (await RowsAsync(connection, $"PRAGMA index_info('{index}')")).OrderBy(c => Convert.ToInt64(c[0], System.Globalization.CultureInfo.InvariantCulture)).Select(c => (string)c[2])]));
            }

            // An INTEGER PRIMARY KEY is SQLite's rowid, not an index: it counts as a key only through the unique
            // (tenant_id, id) index beside it, which the check above already requires to lead with tenant_id.
            var primary = columns.Where(c => Convert.ToInt64(c[5], System.Globalization.CultureInfo.InvariantCulture) > 0).Select(c => (Name: (string)c[1], Type: (string)c[2])).ToList();
            if (primary is [{ Type: "INTEGER" } rowid] && !keys.Any(k => k.Table == table && k.Columns.SequenceEqual(["tenant_id", rowid.Name])))
            {
                keys.Add(new Key(table, "rowid", [rowid.Name]));
            }

            foreign.AddRange((await RowsAsync(connection, $"PRAGMA foreign_key_list('{table}')"))
                .GroupBy(f => Convert.ToInt64(f[0], System.Globalization.CultureInfo.InvariantCulture))
                .Select(g => new ForeignKey(table, (string)g.First()[2], [.. g.Select(f => ((string)f[3], (string)f[4]))])));
        }

        return new Catalog(tables, keys, foreign);
    }

    private static async Task<List<object[]>> RowsAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object[]>();
        while (await reader.ReadAsync())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }

        return rows;
    }
}
