using System.Threading.Channels;

namespace Tollgate.Storage.Sql;

/// <summary>
/// Group commit for small writes (holds, settlements, budget counters): operations that arrive while a transaction
/// is being written wait, and the next transaction carries all of them, each inside its own savepoint, with one commit
/// (one fsync) for the group. Each caller gets its own result once the transaction that carries it has committed.
/// </summary>
/// <remarks>
/// A lone operation is written at once; under load a commit carries what arrived during the previous one, so the rate
/// of durable writes is no longer the rate of fsyncs. An operation that throws, or calls <see cref="WriteScope.Discard"/>,
/// is rolled back to its savepoint and leaves the others alone. The group runs in the order of each operation's
/// <c>order</c> key (the tenant), so that groups of two processes on one PostgreSQL take their row locks in one order; a
/// deadlock or serialization failure that still happens is retried in a later group, up to <see cref="MaxTries"/> times.
/// A caller that stops waiting does not cancel its operation: it is written, or not, as if the caller had waited.
/// Sums that many operations add to (the usage rollups) are <see cref="IDeferredWrite"/>s, written once per group.
/// </remarks>
public sealed class GroupCommit
{
    /// <summary>The most operations one transaction carries.</summary>
    public const int MaxGroup = 256;

    /// <summary>How often an operation that lost a deadlock is tried.</summary>
    public const int MaxTries = 3;

    private readonly SqlDialect dialect;
    private long commits;
    private int depth;
    private readonly Channel<Operation> queue = Channel.CreateUnbounded<Operation>(new UnboundedChannelOptions { SingleReader = false });

    public GroupCommit(SqlDialect dialect)
    {
        this.dialect = dialect;

        for (var i = 0; i < dialect.GroupWriters; i++)
        {
            _ = Task.Run(WriteLoopAsync);
        }
    }

    /// <summary>Transactions committed so far (each carrying one or more operations).</summary>
    public long Commits => Interlocked.Read(ref commits);

    /// <summary>Operations waiting for the next transaction (a gauge of the metrics).</summary>
    public int Depth => Volatile.Read(ref depth);

    /// <summary>Runs <paramref name="operation"/> in the next group's transaction; completes when that transaction has committed.</summary>
    public async Task<T> WriteAsync<T>(string order, Func<WriteScope, Task<T>> operation, CancellationToken cancel = default)
    {
        cancel.ThrowIfCancellationRequested();
        var item = new Operation<T>(order, operation);
        Interlocked.Increment(ref depth);
        await queue.Writer.WriteAsync(item, CancellationToken.None);
        return await item.Done.Task;
    }

    private async Task WriteLoopAsync()
    {
        var group = new List<Operation>(MaxGroup);
        while (await queue.Reader.WaitToReadAsync())
        {
            group.Clear();
            while (group.Count < MaxGroup && queue.Reader.TryRead(out var item))
            {
                group.Add(item);
            }

            Interlocked.Add(ref depth, -group.Count);
            if (group.Count > 0)
            {
                await WriteGroupAsync([.. group.OrderBy(o => o.Order, StringComparer.Ordinal)]);
            }
        }
    }

    private async Task WriteGroupAsync(List<Operation> group)
    {
        try
        {
            await using var connection = await dialect.OpenAsync(CancellationToken.None);
            using var writer = await dialect.EnterWriterAsync(CancellationToken.None);
            await using var tx = await dialect.BeginWriteAsync(connection, CancellationToken.None);
            var deferred = new Dictionary<Type, IDeferredWrite>();
            foreach (var operation in group)
            {
                await tx.SaveAsync("op");
                var scope = new WriteScope(connection, tx, dialect);
                try
                {
                    await operation.RunAsync(scope);
                    if (scope.Discarded)
                    {
                        await tx.RollbackAsync("op");
                    }
                    else
                    {
                        foreach (var write in scope.DeferredWrites)
                        {
                            if (deferred.TryGetValue(write.GetType(), out var sums))
                            {
                                sums.Merge(write);
                            }
                            else
                            {
                                deferred[write.GetType()] = write;
                            }
                        }
                    }
                }
                catch (Exception ex)
                {
                    await tx.RollbackAsync("op");
                    operation.Failure = ex;
                }

                await tx.ReleaseAsync("op");
            }

            var all = new WriteScope(connection, tx, dialect);
            foreach (var write in deferred.Values)
            {
                await write.FlushAsync(all);
            }

            await tx.CommitAsync();
            Interlocked.Increment(ref commits);
        }
        catch (Exception ex)
        {
            // Nothing of the group was committed: every operation gets the failure (503 when the store is down).
            foreach (var operation in group)
            {
                operation.Failure = ex;
            }
        }

        foreach (var operation in group)
        {
            if (operation.Failure is { } failure && StoreErrors.IsTransientConflict(failure) && ++operation.Tries < MaxTries)
            {
                operation.Reset();
                Interlocked.Increment(ref depth);
                await queue.Writer.WriteAsync(operation);
                continue;
            }

            operation.Complete();
        }
    }

    private abstract class Operation(string order)
    {
        public string Order => order;

        public Exception? Failure { get; set; }

        public int Tries { get; set; }

        public abstract Task RunAsync(WriteScope scope);

        public abstract void Complete();

        public abstract void Reset();
    }

    private sealed class Operation<T>(string order, Func<WriteScope, Task<T>> run) : Operation(order)
    {
        private T? result;

        public TaskCompletionSource<T> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task RunAsync(WriteScope scope) => result = await run(scope);

        public override void Complete()
        {
            if (Failure is { } failure)
            {
                Done.SetException(failure);
            }
            else
            {
                Done.SetResult(result!);
            }
        }

        public override void Reset()
        {
            Failure = null;
            result = default;
        }
    }
}
