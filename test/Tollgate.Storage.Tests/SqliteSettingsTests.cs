using Dapper;

namespace Tollgate.Storage.Tests;

/// <summary>Every SQLite connection, new or taken again from the pool, writes durably and has the ledger's functions.</summary>
public sealed class SqliteSettingsTests
{
    [Fact]
    public async Task OpenAsync_NewAndPooledConnections_AllFsyncEveryCommitAndAddUnitsExactly()
    {
        var dialect = await StoreFixture.CreateAsync("sqlite");
        for (var round = 0; round < 3; round++)
        {
            var connections = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => dialect.OpenAsync(CancellationToken.None)));
            foreach (var connection in connections)
            {
                await using (connection)
                {
                    Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
                    Assert.Equal(2L, await connection.ExecuteScalarAsync<long>("PRAGMA synchronous")); // FULL
                    Assert.Equal(30000L, await connection.ExecuteScalarAsync<long>("PRAGMA busy_timeout"));
                    Assert.Equal(1L, await connection.ExecuteScalarAsync<long>("PRAGMA foreign_keys"));
                    Assert.Equal("100000000000000000001", await connection.ExecuteScalarAsync<string>("SELECT units_add('100000000000000000000', '1')"));
                }
            }
        }
    }

    /// <summary>
    /// A group of holds and settlements gives each operation a savepoint, whose journal holds every page the operation
    /// first changes: on the writers' connection it stays in memory (half of what a gateway call wrote went to that
    /// journal's temporary file before); readers keep SQLite's default, so that their large sorts may spill to disk.
    /// </summary>
    [Fact]
    public async Task TakeWriterAsync_TheWritersConnection_KeepsItsStatementJournalInMemory_ReadersDoNot()
    {
        var dialect = await StoreFixture.CreateAsync("sqlite");
        await using (var writer = await dialect.TakeWriterAsync(CancellationToken.None))
        {
            Assert.Equal(2L, await writer.Connection.ExecuteScalarAsync<long>("PRAGMA temp_store")); // MEMORY
            Assert.Equal(2L, await writer.Connection.ExecuteScalarAsync<long>("PRAGMA synchronous"));
        }

        await using var reader = await dialect.OpenAsync(CancellationToken.None);
        Assert.Equal(0L, await reader.ExecuteScalarAsync<long>("PRAGMA temp_store")); // the default
    }
}
