using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Tollgate.Cli.Load;

/// <summary>
/// The storage floor of issue 13: the least durable work one recorded event needs, written with no rating, no
/// HTTP and no JSON. Per event: one event row of about 300 bytes, one transfer row, one balance change; 1,000
/// events per transaction, fsync on. SQLite as Tollgate opens it (WAL, synchronous=FULL), one prepared statement
/// per row; PostgreSQL with multi-row INSERTs (or binary COPY) and one UPDATE of the batch's balances.
/// </summary>
internal static class StorageFloor
{
    public const int PerTransaction = 1000;

    private const int Tenants = 10;

    /// <summary>A body of about 300 bytes, the size of a stored usage event.</summary>
    private static readonly string Padding = new('x', 200);

    private static string Body(int i) => string.Create(CultureInfo.InvariantCulture,
        $"{{\"id\":\"floor-{i}\",\"tenant\":\"t{i % Tenants}\",\"time\":\"2023-11-16T18:15:46Z\",\"type\":\"llm_text\",\"model\":\"gpt-4o\",\"usage\":{{\"input_tokens\":\"{i % 4000}\"}},\"pad\":\"{Padding}\"}}");

    /// <summary>Writes <paramref name="events"/> events into a new SQLite file in <paramref name="folder"/>; returns the seconds taken.</summary>
    public static double Sqlite(string folder, int events)
    {
        Directory.CreateDirectory(folder);
        using var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "floor.db")}");
        connection.Open();
        Exec(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;" +
            "CREATE TABLE events (tenant_id text NOT NULL, event_id text NOT NULL, body text NOT NULL, PRIMARY KEY (tenant_id, event_id));" +
            "CREATE TABLE transfers (transfer_id INTEGER PRIMARY KEY, tenant_id text NOT NULL, debit_account bigint NOT NULL, credit_account bigint NOT NULL, amount text NOT NULL, event_id text);" +
            "CREATE TABLE balances (tenant_id text NOT NULL, account_id bigint NOT NULL, posted bigint NOT NULL, PRIMARY KEY (tenant_id, account_id));");
        for (var t = 0; t < Tenants; t++)
        {
            Exec(connection, $"INSERT INTO balances VALUES ('t{t}', 1, 0)");
        }

        var clock = Stopwatch.StartNew();
        for (var start = 0; start < events; start += PerTransaction)
        {
            using var tx = connection.BeginTransaction(deferred: false);
            using var insertEvent = Command(connection, "INSERT INTO events VALUES ($t, $e, $b)", "$t", "$e", "$b");
            using var insertTransfer = Command(connection, "INSERT INTO transfers (tenant_id, debit_account, credit_account, amount, event_id) VALUES ($t, 1, 2, $a, $e)", "$t", "$a", "$e");
            using var update = Command(connection, "UPDATE balances SET posted = posted - $a WHERE tenant_id = $t AND account_id = 1", "$a", "$t");
            for (var i = start; i < Math.Min(events, start + PerTransaction); i++)
            {
                var tenant = $"t{i % Tenants}";
                var id = $"floor-{i}";
                Run(insertEvent, tenant, id, Body(i));
                Run(insertTransfer, tenant, (1000 + i).ToString(CultureInfo.InvariantCulture), id);
                Run(update, 1000 + i, tenant);
            }

            tx.Commit();
        }

        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>Writes <paramref name="events"/> events into a new schema on the PostgreSQL server; returns the seconds taken and the bytes stored.</summary>
    public static async Task<(double Seconds, long Bytes)> PostgresAsync(string connectionString, int events, bool copy)
    {
        var schema = $"floor_{Guid.NewGuid():N}";
        await using var admin = new NpgsqlConnection(connectionString);
        await admin.OpenAsync();
        await Exec(admin, $"CREATE SCHEMA {schema}; SET search_path = {schema};" +
            "CREATE TABLE events (tenant_id text NOT NULL, event_id text NOT NULL, body text NOT NULL, PRIMARY KEY (tenant_id, event_id));" +
            "CREATE TABLE transfers (transfer_id bigserial PRIMARY KEY, tenant_id text NOT NULL, debit_account bigint NOT NULL, credit_account bigint NOT NULL, amount numeric NOT NULL, event_id text);" +
            "CREATE TABLE balances (tenant_id text NOT NULL, account_id bigint NOT NULL, posted numeric NOT NULL, PRIMARY KEY (tenant_id, account_id));" +
            $"INSERT INTO balances SELECT 't' || g, 1, 0 FROM generate_series(0, {Tenants - 1}) g;");
        try
        {
            var clock = Stopwatch.StartNew();
            for (var start = 0; start < events; start += PerTransaction)
            {
                var n = Math.Min(PerTransaction, events - start);
                var tenants = Enumerable.Range(start, n).Select(i => $"t{i % Tenants}").ToArray();
                var ids = Enumerable.Range(start, n).Select(i => $"floor-{i}").ToArray();
                var amounts = Enumerable.Range(start, n).Select(i => (decimal)(1000 + i)).ToArray();
                await using var tx = await admin.BeginTransactionAsync();
                if (copy)
                {
                    await CopyAsync(admin, start, tenants, ids, amounts);
                }
                else
                {
                    await InsertAsync(admin, start, tenants, ids, amounts);
                }

                // The balances of the batch, one row per account (the transfers keep each event's amount).
                await using var update = new NpgsqlCommand(
                    "UPDATE balances b SET posted = b.posted - v.amount FROM (SELECT t, sum(a) AS amount FROM unnest(@t, @a) AS u(t, a) GROUP BY t) v WHERE b.tenant_id = v.t AND b.account_id = 1",
                    admin);
                update.Parameters.AddWithValue("t", tenants);
                update.Parameters.AddWithValue("a", amounts);
                await update.ExecuteNonQueryAsync();
                await tx.CommitAsync();
            }

            var seconds = clock.Elapsed.TotalSeconds;
            return (seconds, await SchemaBytesAsync(admin, schema));
        }
        finally
        {
            await Exec(admin, $"DROP SCHEMA {schema} CASCADE");
        }
    }

    /// <summary>The bytes of every table of the schema, with its indexes and TOAST.</summary>
    public static async Task<long> SchemaBytesAsync(NpgsqlConnection connection, string schema)
    {
        await using var size = new NpgsqlCommand("SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = @s AND c.relkind = 'r'", connection);
        size.Parameters.AddWithValue("s", schema);
        return (long)(await size.ExecuteScalarAsync())!;
    }

    private static async Task InsertAsync(NpgsqlConnection connection, int start, string[] tenants, string[] ids, decimal[] amounts)
    {
        await using var batch = new NpgsqlBatch(connection);
        var events = new NpgsqlBatchCommand("INSERT INTO events VALUES " + string.Join(", ", ids.Select((_, r) => $"(${3 * r + 1}, ${3 * r + 2}, ${3 * r + 3})")));
        var transfers = new NpgsqlBatchCommand("INSERT INTO transfers (tenant_id, debit_account, credit_account, amount, event_id) VALUES " + string.Join(", ", ids.Select((_, r) => $"(${3 * r + 1}, 1, 2, ${3 * r + 2}, ${3 * r + 3})")));
        for (var r = 0; r < ids.Length; r++)
        {
            events.Parameters.Add(new NpgsqlParameter { Value = tenants[r] });
            events.Parameters.Add(new NpgsqlParameter { Value = ids[r] });
            events.Parameters.Add(new NpgsqlParameter { Value = Body(start + r) });
            transfers.Parameters.Add(new NpgsqlParameter { Value = tenants[r] });
            transfers.Parameters.Add(new NpgsqlParameter { Value = amounts[r] });
            transfers.Parameters.Add(new NpgsqlParameter { Value = ids[r] });
        }

        batch.BatchCommands.Add(events);
        batch.BatchCommands.Add(transfers);
        await batch.ExecuteNonQueryAsync();
    }

    private static async Task CopyAsync(NpgsqlConnection connection, int start, string[] tenants, string[] ids, decimal[] amounts)
    {
        await using (var events = await connection.BeginBinaryImportAsync("COPY events (tenant_id, event_id, body) FROM STDIN (FORMAT BINARY)"))
        {
            for (var r = 0; r < ids.Length; r++)
            {
                await events.WriteRowAsync(default, tenants[r], ids[r], Body(start + r));
            }

            await events.CompleteAsync();
        }

        await using var transfers = await connection.BeginBinaryImportAsync("COPY transfers (tenant_id, debit_account, credit_account, amount, event_id) FROM STDIN (FORMAT BINARY)");
        for (var r = 0; r < ids.Length; r++)
        {
            await transfers.StartRowAsync();
            await transfers.WriteAsync(tenants[r], NpgsqlDbType.Text);
            await transfers.WriteAsync(1L, NpgsqlDbType.Bigint);
            await transfers.WriteAsync(2L, NpgsqlDbType.Bigint);
            await transfers.WriteAsync(amounts[r], NpgsqlDbType.Numeric);
            await transfers.WriteAsync(ids[r], NpgsqlDbType.Text);
        }

        await transfers.CompleteAsync();
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }

    private static void Run(SqliteCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }

        command.ExecuteNonQuery();
    }

    private static void Exec(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static async Task Exec(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
