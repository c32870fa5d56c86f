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
public sealed class GroupCommit(SqlDialect dialect)
{
    /// <summary>The most operations one transaction carries.</summary>
    public const int MaxGroup = 256;

    /// <summary>How often an operation that lost a deadlock is tried.</summary>
    public const int MaxTries = 3;

    private readonly System.Collections.Concurrent.ConcurrentQueue<Operation> queue = new();
    private long commits;
    private int depth;
    private int writers;

    /// <summary>Transactions committed so far (each carrying one or more operations).</summary>
    public long Commits => Interlocked.Read(ref commits);

    /// <summary>Operations waiting for the next transaction (a gauge of the metrics).</summary>
    public int Depth => Volatile.Read(ref depth);

    /// <summary>
    /// Runs <paramref name="operation"/> in the next group's transaction; completes when that transaction has committed.
    /// Not <paramref name="durable"/>: where the dialect has <see cref="SqlDialect.LazyCommits"/>, the operation goes in a
    /// transaction of the group's other such operations that commits without waiting for the disk, for writes that a
    /// power cut may lose only together with what they were for (a gateway call's hold dies with the call).
    /// </summary>
    public async Task<T> WriteAsync<T>(string order, Func<WriteScope, Task<T>> operation, CancellationToken cancel = default, bool durable = true)
    {
        cancel.ThrowIfCancellationRequested();
        var item = new Operation<T>(order, operation) { Durable = durable || !dialect.LazyCommits };
        Enqueue(item);
        await LeadAsync(item);
        return await item.Done.Task;
    }

    private void Enqueue(Operation operation)
    {
        Interlocked.Increment(ref depth);
        queue.Enqueue(operation);
    }

    /// <summary>
    /// The caller writes groups itself until its own operation is written, while fewer than the dialect's
    /// <see cref="SqlDialect.GroupWriters"/> groups are being written; else a writer that is busy now takes it. A lone
    /// write is thus written at once by its own caller, with no hand-over to another thread.
    /// </summary>
    private async Task LeadAsync(Operation own)
    {
        while (!own.IsCompleted && TryEnter())
        {
            try
            {
                await WriteGroupAsync(Take(), own);
            }
            finally
            {
                Interlocked.Decrement(ref writers);
            }
        }

        HandOver();
    }

    private bool TryEnter()
    {
        var current = Volatile.Read(ref writers);
        while (current < dialect.GroupWriters)
        {
            var seen = Interlocked.CompareExchange(ref writers, current + 1, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    /// <summary>
    /// Work queued by callers that found every writer busy: once a writer has left (it checks after leaving, so none is
    /// missed), a writer of its own takes it.
    /// </summary>
    private void HandOver()
    {
        if (!queue.IsEmpty && TryEnter())
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    while (!queue.IsEmpty)
                    {
                        await WriteGroupAsync(Take());
                    }
                }
                finally
                {
                    Interlocked.Decrement(ref writers);
                }

                HandOver();
            });
        }
    }

    /// <summary>Up to <see cref="MaxGroup"/> queued operations, in order of their keys.</summary>
    private List<Operation> Take()
    {
        var group = new List<Operation>();
        while (group.Count < MaxGroup && queue.TryDequeue(out var item))
        {
            group.Add(item);
        }

        Interlocked.Add(ref depth, -group.Count);
        return [.. group.OrderBy(o => o.Order, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The group's lazy operations first, in a transaction of their own, so that they need not wait for the disk; then the
    /// durable ones. A caller whose own lazy operation is then written leaves the durable ones to the next writer.
    /// </summary>
    private async Task WriteGroupAsync(List<Operation> group, Operation? own = null)
    {
        var durable = group.Where(o => o.Durable).ToList();
        await WriteTransactionAsync([.. group.Where(o => !o.Durable)], durable: false);
        if (own is { IsCompleted: true } && durable.Count > 0)
        {
            foreach (var operation in durable)
            {
                Enqueue(operation);
            }

            return;
        }

        await WriteTransactionAsync(durable, durable: true);
    }

    private async Task WriteTransactionAsync(List<Operation> group, bool durable)
    {
        if (group.Count == 0)
        {
            return;
        }

        WriterLease? writer = null;
        try
        {
            writer = await dialect.TakeWriterAsync(CancellationToken.None);
            var connection = writer.Connection;
            await using var tx = durable
                ? await dialect.BeginWriteAsync(connection, CancellationToken.None)
                : await dialect.BeginLazyWriteAsync(connection, CancellationToken.None);
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
            writer?.Failed();
            foreach (var operation in group)
            {
                operation.Failure = ex;
            }
        }
        finally
        {
            if (writer is not null)
            {
                try
                {
                    await writer.DisposeAsync();
                }
                catch (Exception ex)
                {
                    // The writer could not be given back cleanly: the group's callers hear of it rather than wait forever.
                    foreach (var operation in group)
                    {
                        operation.Failure ??= ex;
                    }
                }
            }
        }

        foreach (var operation in group)
        {
            if (operation.Failure is { } failure && StoreErrors.IsTransientConflict(failure) && ++operation.Tries < MaxTries)
            {
                operation.Reset();
                Enqueue(operation);
                continue;
            }

            operation.Complete();
        }
    }

    private abstract class Operation(string order)
    {
        public string Order => order;

        /// <summary>Whether its commit must wait for the disk.</summary>
        public bool Durable { get; init; } = true;

        public Exception? Failure { get; set; }

        public int Tries { get; set; }

        public abstract bool IsCompleted { get; }

        public abstract Task RunAsync(WriteScope scope);

        public abstract void Complete();

        public abstract void Reset();
    }

    private sealed class Operation<T>(string order, Func<WriteScope, Task<T>> run) : Operation(order)
    {
        private T? result;

        public TaskCompletionSource<T> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override bool IsCompleted => Done.Task.IsCompleted;

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
