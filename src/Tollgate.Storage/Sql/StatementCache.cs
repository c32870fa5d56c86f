using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Tollgate.Storage.Sql;

/// <summary>
/// A SQLite connection that keeps its compiled statements: each <see cref="SqliteCommand"/> it has run stays prepared,
/// keyed by its SQL text, and is handed out again to the next command with the same text. Dapper and
/// <see cref="Bulk"/> use it as any connection.
/// </summary>
/// <remarks>
/// Microsoft.Data.Sqlite compiles a command's SQL anew for every new command (dotnet/efcore#14044): a hold or a
/// settlement is a dozen or more short statements, each compiled again at every call before this. The writers'
/// connection (<see cref="SqliteDialect.TakeWriterAsync"/>) is one; so is each connection of the dialect's own pool of
/// readers (<see cref="SqliteDialect.OpenAsync(CancellationToken)"/>), which a caller gives back by disposing it. One
/// caller at a time uses a connection, so the cache needs no lock. Long texts (lists expanded by Dapper, whose text
/// changes with the list's length) are not kept, and a full cache is emptied, so that it stays small.
/// </remarks>
internal sealed class StatementCache(SqliteConnection inner, Action<StatementCache>? giveBack = null) : DbConnection
{
    /// <summary>The most statements kept; past it the cache starts again empty.</summary>
    private const int MaxStatements = 200;

    /// <summary>SQL texts longer than this are compiled per use, as by a plain connection.</summary>
    private const int MaxTextLength = 4096;

    private readonly Dictionary<string, Stack<SqliteCommand>> idle = new(StringComparer.Ordinal);
    private readonly Dictionary<string, sqlite3_stmt> rowStatements = new(StringComparer.Ordinal);
    private int count;
    private bool durable = true;
    private bool lent = true;

    public SqliteConnection Inner => inner;

    /// <summary>One of the dialect's pooled connections (not the writers'): it always commits durably.</summary>
    internal bool Pooled => giveBack is not null;

    /// <summary>
    /// Whether a pooled connection given back may serve the next caller: still open, and not inside a transaction
    /// (a caller that failed before its rollback leaves one open; that connection is closed instead).
    /// </summary>
    internal bool Reusable => inner.State == ConnectionState.Open && inner.Handle is { } handle && raw.sqlite3_get_autocommit(handle) != 0;

    /// <summary>Handed to a caller from the pool: disposing it gives it back once.</summary>
    internal void Lend() => lent = true;

    /// <summary>Closes the connection for good (a pooled one that is not given back).</summary>
    internal void Destroy()
    {
        Clear();
        inner.Dispose();
    }

    /// <summary>Prepared statements kept, not in use.</summary>
    internal int Count => count;

    /// <summary>Prepared statements kept for <paramref name="text"/>, not in use.</summary>
    internal int CountOf(string text) => idle.TryGetValue(text, out var commands) ? commands.Count : 0;

    /// <summary>Sets <c>synchronous</c> to FULL (commits wait for the disk) or NORMAL (they do not), between transactions.</summary>
    internal void Durable(bool on)
    {
        if (durable != on)
        {
            var command = Rent(on ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
            command.ExecuteNonQuery();
            Return(command);
            durable = on;
        }
    }

    /// <summary>A prepared command for <paramref name="text"/> that no one is using, or a new one.</summary>
    internal SqliteCommand Rent(string text)
    {
        if (idle.TryGetValue(text, out var commands) && commands.TryPop(out var command))
        {
            count--;
            return command;
        }

        command = inner.CreateCommand();
        command.CommandText = text;
        return command;
    }

    /// <summary>
    /// Runs one INSERT (with positional parameters <c>?1</c>, <c>?2</c>, ...) once per row, its values bound by position
    /// straight through SQLitePCL, and returns the rows it changed. Microsoft.Data.Sqlite binds each parameter by its name
    /// at every execution, converting the name to UTF-8 each time: with batches of a thousand events, that binding and the
    /// garbage it made were about a fifth of the server's busy time. Values are bound as Microsoft.Data.Sqlite binds them.
    /// </summary>
    internal int InsertRows(string sql, IReadOnlyList<object?[]> rows)
    {
        var db = inner.Handle ?? throw new InvalidOperationException("the writer's connection is closed");
        var kept = rowStatements.TryGetValue(sql, out var found);
        var statement = found!;
        if (!kept)
        {
            SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(db, sql, out statement), db);
            if (sql.Length <= MaxTextLength && rowStatements.Count < MaxStatements)
            {
                rowStatements[sql] = statement;
                kept = true;
            }
        }

        try
        {
            var changed = 0;
            object?[]? previous = null;
            foreach (var row in rows)
            {
                for (var c = 0; c < row.Length; c++)
                {
                    // A reset statement keeps its bindings: a value equal to the previous row's stays bound. Rows come
                    // sorted (rollups, bill lines) or share their tenant, status and unit, so most texts are bound once.
                    if (previous is null || !SameValue(previous[c], row[c]))
                    {
                        Bind(statement, c + 1, row[c], db);
                    }
                }

                previous = row;

                var rc = raw.sqlite3_step(statement);
                raw.sqlite3_reset(statement);
                if (rc != raw.SQLITE_DONE)
                {
                    SqliteException.ThrowExceptionForRC(rc, db);
                }

                changed += raw.sqlite3_changes(db);
            }

            return changed;
        }
        finally
        {
            raw.sqlite3_clear_bindings(statement);
            if (!kept)
            {
                statement.Dispose();
            }
        }
    }

    /// <summary>Whether <paramref name="next"/> binds exactly as <paramref name="bound"/> did: null, or the same text or integer of the same type (other values are bound again).</summary>
    private static bool SameValue(object? bound, object? next) => (bound, next) switch
    {
        (null, null) => true,
        (string a, string b) => string.Equals(a, b, StringComparison.Ordinal),
        (long a, long b) => a == b,
        (int a, int b) => a == b,
        _ => false,
    };

    private static void Bind(sqlite3_stmt statement, int index, object? value, sqlite3 db)
    {
        var rc = value switch
        {
            null or DBNull => raw.sqlite3_bind_null(statement, index),
            string text => BindText(statement, index, text),
            Utf8Text utf8 => raw.sqlite3_bind_text(statement, index, utf8.Bytes.AsSpan()),
            long number => raw.sqlite3_bind_int64(statement, index, number),
            int number => raw.sqlite3_bind_int64(statement, index, number),
            bool flag => raw.sqlite3_bind_int64(statement, index, flag ? 1 : 0),
            double real => raw.sqlite3_bind_double(statement, index, real),
            decimal exact => raw.sqlite3_bind_text(statement, index, exact.ToString("0.0###########################", System.Globalization.CultureInfo.InvariantCulture)),
            byte[] blob => raw.sqlite3_bind_blob(statement, index, blob),
            _ => throw new NotSupportedException($"no SQLite binding for a {value.GetType().Name}"),
        };
        SqliteException.ThrowExceptionForRC(rc, db);
    }

    /// <summary>Binds a text through a pooled UTF-8 buffer (SQLite copies it), where SQLitePCL would allocate a byte array per value.</summary>
    private static int BindText(sqlite3_stmt statement, int index, string text)
    {
        var rented = System.Buffers.ArrayPool<byte>.Shared.Rent(System.Text.Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var length = System.Text.Encoding.UTF8.GetBytes(text, rented);
            return raw.sqlite3_bind_text(statement, index, rented.AsSpan(0, length));
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Keeps a command for the next use of its text, or disposes it.</summary>
    internal void Return(SqliteCommand command)
    {
        command.Parameters.Clear();
        command.Transaction = null;
        if (command.CommandText.Length > MaxTextLength)
        {
            command.Dispose();
            return;
        }

        if (count >= MaxStatements)
        {
            Clear();
        }

        if (!idle.TryGetValue(command.CommandText, out var commands))
        {
            idle[command.CommandText] = commands = new Stack<SqliteCommand>(1);
        }

        commands.Push(command);
        count++;
    }

    private void Clear()
    {
        foreach (var command in idle.Values.SelectMany(c => c))
        {
            command.Dispose();
        }

        foreach (var statement in rowStatements.Values)
        {
            statement.Dispose();
        }

        idle.Clear();
        rowStatements.Clear();
        count = 0;
    }

    [AllowNull]
    public override string ConnectionString
    {
        get => inner.ConnectionString;
        set => throw new NotSupportedException("the writer's connection is opened once");
    }

    public override string Database => inner.Database;

    public override string DataSource => inner.DataSource;

    public override string ServerVersion => inner.ServerVersion;

    public override ConnectionState State => inner.State;

    public override void ChangeDatabase(string databaseName) => inner.ChangeDatabase(databaseName);

    public override void Open() => inner.Open();

    public override void Close()
    {
        Clear();
        inner.Close();
    }

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => inner.BeginTransaction(isolationLevel);

    protected override DbCommand CreateDbCommand() => new Command(this);

    protected override void Dispose(bool disposing)
    {
        if (disposing && giveBack is not null)
        {
            // A pooled connection goes back to its pool (once, however often its caller disposes it).
            if (lent)
            {
                lent = false;
                giveBack(this);
            }

            return;
        }

        if (disposing)
        {
            Destroy();
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// A parameter whose name carries the <c>@</c> of the SQL text. Dapper names parameters after properties
    /// (<c>tenant</c>); Microsoft.Data.Sqlite binds such a name by looking it up as it is, then with each of
    /// <c>:</c>, <c>@</c> and <c>$</c> in front, converting every try to UTF-8 and allocating it, at every execution
    /// (a gateway call's statements made 12% of its garbage that way). Named <c>@tenant</c>, the first look-up finds it.
    /// </summary>
    internal sealed class PrefixedParameter : SqliteParameter
    {
        /// <summary>Prefixed names kept: the code's parameters, and the numbered ones of lists Dapper expands.</summary>
        private static readonly BoundedCache<string, string> Prefixed = new(1024, StringComparer.Ordinal);

        [AllowNull]
        public override string ParameterName
        {
            get => base.ParameterName;
            set => base.ParameterName = value is { Length: > 0 } name && name[0] is not ('@' or ':' or '$')
                ? Prefixed.GetOrAdd(name, static n => "@" + n)
                : value;
        }
    }

    /// <summary>A command that runs on a cached <see cref="SqliteCommand"/> for its text.</summary>
    private sealed class Command(StatementCache cache) : DbCommand
    {
        private SqliteCommand? current;
        private SqliteTransaction? transaction;
        private SqliteDataReader? reader;

        [AllowNull]
        public override string CommandText
        {
            get => current?.CommandText ?? string.Empty;
            set
            {
                if (current?.CommandText == value)
                {
                    return;
                }

                // Dapper rewrites the text after adding parameters when it expands a list: they move with it.
                var parameters = current?.Parameters.Cast<SqliteParameter>().ToList() ?? [];
                Release();
                if (!string.IsNullOrEmpty(value))
                {
                    current = cache.Rent(value);
                    current.Transaction = transaction;
                    current.Parameters.AddRange(parameters);
                }
            }
        }

        private SqliteCommand Current => current ?? throw new InvalidOperationException("a command needs its CommandText before it has parameters or runs");

        public override int CommandTimeout { get; set; } = 30;

        public override CommandType CommandType
        {
            get => CommandType.Text;
            set
            {
                if (value != CommandType.Text)
                {
                    throw new NotSupportedException("SQLite runs text commands only");
                }
            }
        }

        public override bool DesignTimeVisible { get; set; }

        public override UpdateRowSource UpdatedRowSource { get; set; }

        protected override DbConnection? DbConnection
        {
            get => cache;
            set
            {
                if (value != cache)
                {
                    throw new NotSupportedException("a cached command stays on its connection");
                }
            }
        }

        protected override DbParameterCollection DbParameterCollection => Current.Parameters;

        protected override DbTransaction? DbTransaction
        {
            get => transaction;
            set
            {
                transaction = (SqliteTransaction?)value;
                if (current is not null)
                {
                    current.Transaction = transaction;
                }
            }
        }

        public override void Cancel() => current?.Cancel();

        public override void Prepare() => Current.Prepare();

        protected override DbParameter CreateDbParameter() => new PrefixedParameter();

        public override int ExecuteNonQuery() => Current.ExecuteNonQuery();

        public override object? ExecuteScalar() => Current.ExecuteScalar();

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => reader = Current.ExecuteReader(behavior);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Release();
            }

            base.Dispose(disposing);
        }

        private void Release()
        {
            if (current is null)
            {
                return;
            }

            if (reader is { IsClosed: false })
            {
                // Still being read: it cannot serve another command.
                current.Dispose();
            }
            else
            {
                cache.Return(current);
            }

            (current, reader) = (null, null);
        }
    }
}
