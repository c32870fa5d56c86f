using System.Data;
using System.Data.Common;
using Npgsql;

namespace Tollgate.Storage.Sql;

/// <summary>
/// PostgreSQL, the system of record for production and for several Tollgate nodes: account rows are locked with
/// SELECT ... FOR UPDATE in a fixed order, so concurrent nodes serialize per account and never deadlock.
/// </summary>
public sealed class PostgresDialect(string connectionString) : SqlDialect
{
    private readonly NpgsqlDataSource dataSource = NpgsqlDataSource.Create(WithPreparedStatements(connectionString));

    /// <summary>
    /// Npgsql's automatic preparation, unless the connection string sets its own: a statement run twice on a connection
    /// is prepared on the server, so the writes of holds, settlements and events are parsed and planned once per
    /// connection instead of at every call.
    /// </summary>
    private static string WithPreparedStatements(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 100;
            builder.AutoPrepareMinUsages = 2;
        }

        return builder.ConnectionString;
    }

    public string ConnectionString => connectionString;

    public override string Name => "postgres";

    public override string ForUpdate => " FOR UPDATE";

    public override int GroupWriters => 4;

    // Fewer, larger statements mean fewer round trips.
    public override bool MultiRowInserts => true;

    // Npgsql sends an array parameter as one PostgreSQL array.
    public override string JsonText(string column, string name) =>
        $"(CASE jsonb_typeof({column}::jsonb -> '{name}') WHEN 'string' THEN {column}::jsonb ->> '{name}' END)";

    public override string AnyOf(string column, string parameter) => $"{column} = ANY({parameter})";

    public override string MigrationLock => "SELECT pg_advisory_xact_lock(7461746532)";

    // Amount columns are numeric: arbitrary precision, exact sums.
    public override object Units(decimal units) => units;

    public override string SumUnits(string expression) => $"SUM({expression})";

    public override string AddUnits(string left, string right) => $"{left} + {right}";

    public override string EachUnit(string column, string alias) =>
        $"LATERAL (SELECT key, CAST(value AS numeric) AS value FROM jsonb_each_text(CAST({column} AS jsonb))) {alias}";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancel) => await dataSource.OpenConnectionAsync(cancel);

    public override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancel) =>
        await ((NpgsqlConnection)connection).BeginTransactionAsync(IsolationLevel.ReadCommitted, cancel);

    public override ValueTask DisposeAsync() => dataSource.DisposeAsync();
}
