using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Tollgate.Storage.Sql;

/// <summary>
/// The embedded default: one file, WAL journal with synchronous=FULL so a committed charge survives power loss.
/// SQLite has one writer at a time: BEGIN IMMEDIATE takes the write lock up front, so read-then-write
/// transactions never deadlock or lose an update.
/// </summary>
public sealed class SqliteDialect(string path) : SqlDialect
{
    // Connections are pooled here, not by Microsoft.Data.Sqlite: its pool took a lock per open and per close that 16
    // concurrent gateway calls queued on, registered the amount functions anew at every open, and handed out
    // connections whose statements were compiled again for every use. A pooled StatementCache keeps all three.
    private readonly string connectionString = ConnectionString(path, pooling: false);

    /// <summary>The most idle connections kept for readers; a connection given back past it is closed.</summary>
    internal const int MaxIdleConnections = 16;

    private readonly System.Collections.Concurrent.ConcurrentStack<StatementCache> idle = new();
    private int idleCount;
    private volatile bool disposed;

    private static string ConnectionString(string path, bool pooling) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = pooling,
        DefaultTimeout = 30,
    }.ToString();

    // SQLite's busy handler polls a held write lock with sleeps of up to 100 ms; writers of this process wait here instead.
    private readonly SemaphoreSlim writer = new(1, 1);

    // The writers' connection, kept open with its compiled statements; opened by the first writer, replaced after a failure.
    private StatementCache? writerConnection;

    public override string Name => "sqlite";

    public override async Task<WriterLease> TakeWriterAsync(CancellationToken cancel)
    {
        await writer.WaitAsync(cancel);
        try
        {
            // Not pooled: its handle is closed with it, so its synchronous=NORMAL of a lazy commit never reaches the pool.
            writerConnection ??= new StatementCache(await OpenAsync(connectionString, cancel, writer: true));
        }
        catch
        {
            writer.Release();
            throw;
        }

        var connection = writerConnection;
        return new WriterLease(connection, async failed =>
        {
            try
            {
                if (failed || connection.Inner.State != System.Data.ConnectionState.Open)
                {
                    writerConnection = null;
                    await connection.DisposeAsync();
                }
            }
            finally
            {
                writer.Release();
            }
        });
    }

    /// <summary>Closes the writers' connection and the idle pooled ones; a pooled connection given back later is closed.</summary>
    public override async ValueTask DisposeAsync()
    {
        disposed = true;
        CloseIdle();
        await writer.WaitAsync();
        try
        {
            if (writerConnection is { } connection)
            {
                writerConnection = null;
                await connection.DisposeAsync();
            }
        }
        finally
        {
            writer.Release();
        }
    }

    public override string ForUpdate => string.Empty;

    public override string MigrationLock => string.Empty;

    // In process, a prepared single-row statement is fastest; long statements are compiled anew and bind named
    // parameters by linear search.
    public override bool MultiRowInserts => false;

    public override string JsonText(string column, string name) =>
        $"(CASE json_type({column}, '$.{name}') WHEN 'text' THEN json_extract({column}, '$.{name}') END)";

    // The list is one JSON array parameter: Dapper would expand an array into (@p1, @p2, ...), a new text for every
    // length, compiled at every use and bound by name, one name at a time (a batch's look-up of its recorded ids).
    public override string AnyOf(string column, string parameter) => $"{column} IN (SELECT value FROM json_each({parameter}))";

    public override object List<T>(IEnumerable<T> values) => System.Text.Json.JsonSerializer.Serialize(values.ToArray());

    // Amount columns are TEXT holding canonical integers, added by the functions of SqliteUnits.
    public override object Units(decimal units) => Core.Money.LedgerAmount.ToText(units);

    public override string SumUnits(string expression) => $"units_sum({expression})";

    // Texts of under 18 characters are integers under 10^17, whose sum SQLite's own integers hold exactly: added in
    // SQL, without a call into .NET (a batch's rollup upserts add thousands of them); longer ones by units_add.
    public override string AddUnits(string left, string right) =>
        $"(CASE WHEN length({left}) < 18 AND length({right}) < 18 THEN CAST(CAST({left} AS INTEGER) + CAST({right} AS INTEGER) AS TEXT) ELSE units_add({left}, {right}) END)";

    // The values are JSON strings, so json_each hands them over as text, which units_sum reads exactly.
    public override string EachUnit(string column, string alias) => $"json_each({column}) {alias}";

    /// <summary>An idle pooled connection, or a new one; disposing it gives it back to the pool.</summary>
    public override async Task<DbConnection> OpenAsync(CancellationToken cancel)
    {
        cancel.ThrowIfCancellationRequested();
        if (idle.TryPop(out var pooled))
        {
            Interlocked.Decrement(ref idleCount);
            pooled.Lend();
            return pooled;
        }

        return new StatementCache(await OpenAsync(connectionString, cancel), GiveBack);
    }

    private void GiveBack(StatementCache connection)
    {
        if (disposed || !connection.Reusable)
        {
            connection.Destroy();
            return;
        }

        if (Interlocked.Increment(ref idleCount) > MaxIdleConnections)
        {
            Interlocked.Decrement(ref idleCount);
            connection.Destroy();
            return;
        }

        idle.Push(connection);
        if (disposed)
        {
            CloseIdle(); // given back while the dialect was being disposed
        }
    }

    private void CloseIdle()
    {
        while (idle.TryPop(out var connection))
        {
            Interlocked.Decrement(ref idleCount);
            connection.Destroy();
        }
    }

    /// <summary>Idle pooled connections (for tests).</summary>
    internal int IdleConnections => Volatile.Read(ref idleCount);

    /// <summary>
    /// Opens a connection with the ledger's settings and functions. The writers' one (<paramref name="writer"/>) also
    /// keeps its statement journal in memory (<c>temp_store=MEMORY</c>). A group of holds and settlements gives each
    /// operation its own savepoint, and SQLite copies every page an operation first changes into that journal, so that
    /// the operation alone can be rolled back. On disk (a deleted file in /var/tmp) that journal was half the bytes a
    /// gateway call wrote: about 50 KB, in some 20 writes. It holds only the pages of one transaction, and is never
    /// synced, so a crash loses nothing it would have kept. Readers, whose large sorts may spill, keep the default.
    /// </summary>
    private static async Task<SqliteConnection> OpenAsync(string connectionString, CancellationToken cancel, bool writer = false)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancel);
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON;" +
                (writer ? " PRAGMA temp_store=MEMORY;" : string.Empty);
            await pragma.ExecuteNonQueryAsync(cancel);
        }

        SqliteUnits.Register(connection);
        return connection;
    }

    public override Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancel) => BeginAsync(connection, durable: true);

    public override bool LazyCommits => true;

    // WAL with synchronous=NORMAL: the commit is in the WAL file (the OS has it) without an fsync; the next commit at FULL
    // syncs the WAL, and with it every frame before it.
    public override Task<DbTransaction> BeginLazyWriteAsync(DbConnection connection, CancellationToken cancel) => BeginAsync(connection, durable: false);

    private static Task<DbTransaction> BeginAsync(DbConnection connection, bool durable)
    {
        var cached = (StatementCache)connection;
        if (cached.Pooled && !durable)
        {
            throw new InvalidOperationException("only the writers' connection (TakeWriterAsync) commits lazily");
        }

        // Only the writers' connection commits lazily; it is set back before each durable write.
        cached.Durable(durable);
        var sqlite = cached.Inner;

        // Not deferred: BEGIN IMMEDIATE takes the write lock now (waiting up to busy_timeout for another writer).
        return Task.FromResult<DbTransaction>(sqlite.BeginTransaction(deferred: false));
    }
}
