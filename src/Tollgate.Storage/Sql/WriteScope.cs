using System.Data.Common;

namespace Tollgate.Storage.Sql;

/// <summary>
/// One operation's part of a shared write transaction (see <see cref="GroupCommit"/>): the connection and transaction
/// to write with, inside the operation's own savepoint.
/// </summary>
public sealed class WriteScope(DbConnection connection, DbTransaction transaction, SqlDialect dialect)
{
    private Dictionary<Type, IDeferredWrite>? deferred;

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

    /// <summary>
    /// This operation's part of a write deferred to the end of the group (see <see cref="IDeferredWrite"/>); written at
    /// its commit when the operation succeeds and is not discarded.
    /// </summary>
    public T Deferred<T>()
        where T : class, IDeferredWrite, new()
    {
        deferred ??= [];
        if (!deferred.TryGetValue(typeof(T), out var write))
        {
            deferred[typeof(T)] = write = new T();
        }

        return (T)write;
    }

    internal IEnumerable<IDeferredWrite> DeferredWrites => deferred?.Values ?? Enumerable.Empty<IDeferredWrite>();
}
