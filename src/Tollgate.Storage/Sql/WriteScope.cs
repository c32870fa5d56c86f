using System.Data.Common;

namespace Tollgate.Storage.Sql;

/// <summary>
/// One operation's part of a shared write transaction (see <see cref="GroupCommit"/>): the connection and transaction
/// to write with, inside the operation's own savepoint.
/// </summary>
public sealed class WriteScope(DbConnection connection, DbTransaction transaction, SqlDialect dialect)
{
    public DbConnection Connection => connection;

    public DbTransaction Transaction => transaction;

    public SqlDialect Dialect => dialect;

    /// <summary>Whether <see cref="Discard"/> was called.</summary>
    public bool Discarded { get; private set; }

    /// <summary>
    /// Rolls this operation's writes back when it returns (its result is still answered); the other operations of the
    /// transaction keep theirs. A refused hold, say, leaves no trace.
    /// </summary>
    public void Discard() => Discarded = true;
}
