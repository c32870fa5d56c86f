using Npgsql;
using NodaTime;
using Tollgate.Core.Catalogs;
using Tollgate.Storage.Ledger;
using Tollgate.Storage.Sql;

namespace Tollgate.Storage.Tests;

/// <summary>Makes a fresh, migrated store: a temporary SQLite file, or a new schema on the test PostgreSQL server.</summary>
internal static class StoreFixture
{
    public const string TestBookYaml = """
        id: test-book
        versions:
          - version: "1"
            effective_from: 2020-01-01T00:00:00Z
            settlement: { unit: credits, scale: 8 }
            groups:
              - types: [llm_text]
                per: 1K
                items:
                  - { model: m, prices: { input_tokens: 1, output_tokens: 1 } }
              - types: [tool]
                per: 1
                items:
                  - { model: fee, prices: { calls: 10 } }
                  - { model: one, prices: { calls: 1 } }
        """;

    public static readonly PriceBook TestBook = PriceBookReader.ReadYaml(TestBookYaml).Book!;

    public static PriceBook? Books(string id) => id == TestBook.Id ? TestBook : BuiltInCatalogs.Find(id);

    public static string PostgresConnectionString =>
        Environment.GetEnvironmentVariable("TOLLGATE_TEST_POSTGRES")
        ?? throw new InvalidOperationException("TOLLGATE_TEST_POSTGRES is not set: run the tests with scripts/test.sh, which starts PostgreSQL");

    public static async Task<SqlDialect> CreateAsync(string engine)
    {
        if (engine == "sqlite")
        {
            var path = Path.Combine(Path.GetTempPath(), $"tollgate-test-{Guid.NewGuid():N}.db");
            return new SqliteDialect(path);
        }

        var schema = $"t_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(PostgresConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new PostgresDialect(new NpgsqlConnectionStringBuilder(PostgresConnectionString) { SearchPath = schema, MaxPoolSize = 100, ConnectionIdleLifetime = 5, ConnectionPruningInterval = 1 }.ToString());
    }

    public static async Task<(LedgerStore Store, TestClock Clock)> StoreAsync(string engine, Instant? start = null)
    {
        var clock = new TestClock(start ?? Instant.FromUtc(2025, 3, 1, 2, 0));
        var store = new LedgerStore(await CreateAsync(engine), clock, Books);
        await store.MigrateAsync();
        return (store, clock);
    }
}
