using System.Data.Common;

namespace Tollgate.Storage.Sql;

/// <summary>A writer's connection for one write transaction (see <see cref="SqlDialect.TakeWriterAsync"/>); disposing it gives it back.</summary>
public sealed class WriterLease(DbConnection connection, Func<bool, ValueTask> giveBack) : IAsyncDisposable
{
    private bool failed;
    private bool returned;

    public DbConnection Connection => connection;

    /// <summary>Something failed on the connection: it is closed when given back, and the next writer opens a new one.</summary>
    public void Failed() => failed = true;

    public ValueTask DisposeAsync()
    {
        if (returned)
        {
            return ValueTask.CompletedTask;
        }

        returned = true;
        return giveBack(failed);
    }
}
