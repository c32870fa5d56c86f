using Dapper;
using Tollgate.Storage.Sql;

namespace Tollgate.Storage.Tests;

/// <summary>
/// SQLite's readers come from the dialect's own pool of connections that keep their compiled statements: a connection
/// given back serves the next caller as it was, and one that cannot (inside a transaction, disposed twice, past the
/// pool's size, after the dialect is disposed) is closed instead.
/// </summary>
public sealed class SqlitePoolTests
{
    [Fact]
    public async Task OpenAsync_AfterAGivenBackConnection_ServesTheSameConnectionWithItsStatementsAndFunctions()
    {
        var dialect = (SqliteDialect)await StoreFixture.CreateAsync("sqlite");
        const string Sum = "SELECT units_add(@a, @b)";
        StatementCache first;
        await using (var connection = await dialect.OpenAsync(default))
        {
            first = (StatementCache)connection;
            Assert.Equal("300000000000000000000", await connection.ExecuteScalarAsync<string>(Sum, new { a = "100000000000000000000", b = "200000000000000000000" }));
        }

        Assert.Equal(1, dialect.IdleConnections);
        await using (var again = await dialect.OpenAsync(default))
        {
            Assert.Same(first, again);
            Assert.Equal(1, first.CountOf(Sum)); // compiled once, kept
            Assert.Equal("3", await again.ExecuteScalarAsync<string>(Sum, new { a = "1", b = "2" }));
            Assert.Equal(2L, await again.ExecuteScalarAsync<long>("PRAGMA synchronous")); // FULL
        }
    }

    [Fact]
    public async Task AConnectionGivenBackInsideItsTransaction_IsClosed_AndTheWriteLockIsFree()
    {
        var dialect = (SqliteDialect)await StoreFixture.CreateAsync("sqlite");
        var connection = await dialect.OpenAsync(default);
        await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS pool_probe (id integer)");
        var tx = await dialect.BeginWriteAsync(connection, default);
        await connection.ExecuteAsync("INSERT INTO pool_probe VALUES (1)", transaction: tx);
        await connection.DisposeAsync(); // a caller that failed before its rollback

        Assert.Equal(0, dialect.IdleConnections);
        Assert.Equal(System.Data.ConnectionState.Closed, ((StatementCache)connection).Inner.State);
        await using var next = await dialect.OpenAsync(default);
        Assert.NotSame(connection, next);
        await using var write = await dialect.BeginWriteAsync(next, default); // would wait 30 s for a lock still held
        Assert.Equal(0L, await next.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM pool_probe", transaction: write));
    }

    [Fact]
    public async Task DisposedTwice_IsGivenBackOnce()
    {
        var dialect = (SqliteDialect)await StoreFixture.CreateAsync("sqlite");
        var connection = await dialect.OpenAsync(default);
        await connection.DisposeAsync();
        await connection.DisposeAsync();

        Assert.Equal(1, dialect.IdleConnections);
        await using var a = await dialect.OpenAsync(default);
        await using var b = await dialect.OpenAsync(default);
        Assert.NotSame(a, b);
    }

    [Fact]
    public async Task ManyConcurrentReaders_EachGetTheirOwnConnection_AndThePoolKeepsAtMostItsSize()
    {
        var dialect = (SqliteDialect)await StoreFixture.CreateAsync("sqlite");
        var inUse = new System.Collections.Concurrent.ConcurrentDictionary<object, int>();
        await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(async () =>
        {
            for (var round = 0; round < 20; round++)
            {
                await using var connection = await dialect.OpenAsync(default);
                Assert.True(inUse.TryAdd(connection, i), "a pooled connection was handed to two callers at once");
                Assert.Equal((long)(i * round), await connection.ExecuteScalarAsync<long>("SELECT @i * @round", new { i, round }));
                inUse.TryRemove(connection, out _);
            }
        })));

        Assert.InRange(dialect.IdleConnections, 1, SqliteDialect.MaxIdleConnections);
    }

    [Fact]
    public async Task PooledConnections_NeverCommitLazily_AndCloseWithTheDialect()
    {
        var dialect = (SqliteDialect)await StoreFixture.CreateAsync("sqlite");
        var kept = await dialect.OpenAsync(default);
        await Assert.ThrowsAsync<InvalidOperationException>(() => dialect.BeginLazyWriteAsync(kept, default));
        await using (await dialect.OpenAsync(default))
        {
        }

        Assert.Equal(1, dialect.IdleConnections);
        await dialect.DisposeAsync();
        Assert.Equal(0, dialect.IdleConnections);

        await kept.DisposeAsync(); // given back after the dialect was disposed: closed, not kept
        Assert.Equal(0, dialect.IdleConnections);
        Assert.Equal(System.Data.ConnectionState.Closed, ((StatementCache)kept).Inner.State);
    }
}
