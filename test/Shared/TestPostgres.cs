namespace Tollgate.Testing;

/// <summary>The test PostgreSQL server (started by scripts/test.sh), with a fresh schema per test. Linked into the test projects that need it.</summary>
public static class TestPostgres
{
    public static async Task<string> NewSchemaAsync(string prefix)
    {
        var connection = Environment.GetEnvironmentVariable("TOLLGATE_TEST_POSTGRES")
            ?? throw new InvalidOperationException("TOLLGATE_TEST_POSTGRES is not set: run the tests with scripts/test.sh");
        var schema = $"{prefix}_{Guid.NewGuid():N}";
        await using (var admin = new Npgsql.NpgsqlConnection(connection))
        {
            await admin.OpenAsync();
            await using var create = new Npgsql.NpgsqlCommand($"CREATE SCHEMA {schema}", admin);
            await create.ExecuteNonQueryAsync();
        }

        // Every schema has its own pool; idle connections are closed soon, so many tests fit in the server's limit.
        return new Npgsql.NpgsqlConnectionStringBuilder(connection) { SearchPath = schema, ConnectionIdleLifetime = 5, ConnectionPruningInterval = 1 }.ToString();
    }
}
