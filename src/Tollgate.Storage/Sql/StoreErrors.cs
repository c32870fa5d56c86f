using Microsoft.Data.Sqlite;
using Npgsql;

namespace Tollgate.Storage.Sql;

/// <summary>Tells a store that cannot answer now (retry later: HTTP 503) from a bug (HTTP 500).</summary>
public static class StoreErrors
{
    public static bool IsUnavailable(Exception ex) => ex switch
    {
        // A PostgreSQL error: connection exceptions (08), insufficient resources (53), operator intervention such as a
        // shutdown (57P), serialization failures and deadlocks (40): the request can be retried.
        PostgresException pg => pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState.StartsWith("53", StringComparison.Ordinal)
            || pg.SqlState.StartsWith("57P", StringComparison.Ordinal) || pg.SqlState.StartsWith("40", StringComparison.Ordinal),

        // No server answer at all: refused, reset, timed out.
        NpgsqlException => true,

        // SQLite busy or locked past the timeout, I/O errors, a full disk, a file that cannot be opened.
        SqliteException sqlite => sqlite.SqliteErrorCode is 5 or 6 or 10 or 13 or 14,
        TimeoutException or System.Net.Sockets.SocketException => true,
        _ => ex.InnerException is { } inner && IsUnavailable(inner),
    };

    /// <summary>A deadlock or serialization failure on PostgreSQL: the transaction lost a race and may simply be run again.</summary>
    public static bool IsTransientConflict(Exception ex) => ex switch
    {
        PostgresException pg => pg.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure,
        _ => ex.InnerException is { } inner && IsTransientConflict(inner),
    };
}
