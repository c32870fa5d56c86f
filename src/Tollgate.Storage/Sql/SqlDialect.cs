using System.Data.Common;

namespace Tollgate.Storage.Sql;

/// <summary>What differs between SQLite and PostgreSQL; the ledger's SQL is otherwise shared.</summary>
public abstract class SqlDialect : IAsyncDisposable
{
    /// <summary>Closes what the dialect keeps open (a pool, the writers' connection); a later use opens it again.</summary>
    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>sqlite or postgres: also the folder of the dialect's migrations.</summary>
    public abstract string Name { get; }

    public abstract Task<DbConnection> OpenAsync(CancellationToken cancel);

    /// <summary>Starts a write transaction that serializes with other writers of the same rows; its commit is durable.</summary>
    public abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancel);

    /// <summary>
    /// Whether a write transaction may commit without waiting for the disk (<see cref="BeginLazyWriteAsync"/>): where the
    /// database lives in the process (SQLite), so that what a crash of the process can lose is only what the process
    /// itself was doing. A database server can fail alone, and there every commit is durable.
    /// </summary>
    public virtual bool LazyCommits => false;

    /// <summary>
    /// A write transaction whose commit is visible at once but reaches the disk with the next durable commit (or
    /// checkpoint): it survives a crash of the process, not a power cut. Durable where <see cref="LazyCommits"/> is false.
    /// </summary>
    public virtual Task<DbTransaction> BeginLazyWriteAsync(DbConnection connection, CancellationToken cancel) => BeginWriteAsync(connection, cancel);

    /// <summary>
    /// The connection for one hot write transaction (recording events, a group of holds and settlements), held until the
    /// lease is disposed. By default a connection of the pool; SQLite's writers queue for its one writer connection, in
    /// memory, and start the moment the previous one commits.
    /// </summary>
    public virtual async Task<WriterLease> TakeWriterAsync(CancellationToken cancel)
    {
        var connection = await OpenAsync(cancel);
        return new WriterLease(connection, _ => connection.DisposeAsync());
    }

    /// <summary>Runs <paramref name="work"/> on a writer's connection (<see cref="TakeWriterAsync"/>); the connection is closed if it throws.</summary>
    public async Task<T> WithWriterAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancel)
    {
        await using var writer = await TakeWriterAsync(cancel);
        try
        {
            return await work(writer.Connection);
        }
        catch
        {
            writer.Failed();
            throw;
        }
    }

    /// <summary>
    /// How many <see cref="GroupCommit"/> transactions one process writes at once: one where the engine has a single
    /// writer (SQLite); a few where row locks let transactions of different tenants proceed side by side.
    /// </summary>
    public virtual int GroupWriters => 1;

    /// <summary>Appended to a SELECT of account rows that will be updated: row locks where the engine has them.</summary>
    public abstract string ForUpdate { get; }

    /// <summary>
    /// A condition that <paramref name="column"/> is one of the list parameter <paramref name="parameter"/>, whose value
    /// is made by <see cref="List{T}"/>: the statement's text is the same whatever the list's length.
    /// </summary>
    public abstract string AnyOf(string column, string parameter);

    /// <summary>The value of an <see cref="AnyOf"/> parameter: an array where the engine has them.</summary>
    public virtual object List<T>(IEnumerable<T> values) => values.ToArray();

    /// <summary>Whether many rows go in one INSERT statement (see <see cref="Bulk"/>).</summary>
    public abstract bool MultiRowInserts { get; }

    /// <summary>Taken before migrating, so several nodes starting at once migrate once.</summary>
    public abstract string MigrationLock { get; }

    /// <summary>A ledger amount (whole 10^-8 units, see LedgerAmount) as a parameter of an amount column.</summary>
    public abstract object Units(decimal units);

    /// <summary>The exact sum of an amount column (NULL-free: 0 for no rows is up to the caller).</summary>
    public abstract string SumUnits(string expression);

    /// <summary>The exact sum of two amount values.</summary>
    public abstract string AddUnits(string left, string right);

    /// <summary>
    /// Two texts of units per name (<see cref="UnitsJson"/>) added name by name, by <c>units_merge</c> (a .NET function on
    /// SQLite, a PL/pgSQL function of migration 040 on PostgreSQL). Most upserts add units to a row that has none yet, or
    /// add none: those need no call.
    /// </summary>
    public string MergeUnits(string left, string right) =>
        $"(CASE WHEN {right} = '{{}}' THEN {left} WHEN {left} = '{{}}' THEN {right} ELSE units_merge({left}, {right}) END)";

    /// <summary>
    /// A FROM item that lists the units of a <see cref="UnitsJson"/> column as rows of <c>alias.key</c> and
    /// <c>alias.value</c> (exact: what <see cref="SumUnits"/> adds).
    /// </summary>
    public abstract string EachUnit(string column, string alias);

    /// <summary>The string field <paramref name="name"/> of a JSON text column (null when absent or not a string).</summary>
    public abstract string JsonText(string column, string name);
}
