namespace Tollgate.Storage.Sql;

/// <summary>
/// Writes that the operations of one <see cref="GroupCommit"/> transaction add to in memory and that are written once
/// for the whole group, just before it commits: sums such as the usage rollups, where N operations would otherwise
/// upsert the same rows N times. What an operation that fails or is discarded added is left out.
/// </summary>
public interface IDeferredWrite
{
    /// <summary>Adds what another operation (of the same type) added.</summary>
    void Merge(IDeferredWrite other);

    /// <summary>Writes the sums in the group's transaction.</summary>
    Task FlushAsync(WriteScope scope);
}
