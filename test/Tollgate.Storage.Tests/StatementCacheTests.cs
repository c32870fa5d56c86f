using Dapper;
using Tollgate.Storage.Sql;

namespace Tollgate.Storage.Tests;

/// <summary>The SQLite writer's connection keeps its compiled statements, and is used by Dapper as any connection.</summary>
public sealed class StatementCacheTests
{
    [Fact]
    public async Task Rent_SameTextAfterReturn_GivesTheSameCompiledCommand()
    {
        await using var writer = await WriterAsync();
        var cache = (StatementCache)writer.Connection;
        var first = cache.Rent("SELECT 1");
        Assert.Equal(1L, first.ExecuteScalar());
        cache.Return(first);

        var again = cache.Rent("SELECT 1");
        var other = cache.Rent("SELECT 1");
        Assert.Same(first, again);
        Assert.NotSame(first, other); // the first is in use: a second user of the text gets its own
        Assert.Empty(again.Parameters);
    }

    [Fact]
    public async Task Dapper_ReusedTextsWithNewValuesAndExpandedLists_AnswerEachCallWithItsOwnParameters()
    {
        await using var writer = await WriterAsync();
        var connection = writer.Connection;
        await connection.ExecuteAsync("CREATE TEMP TABLE t (id integer PRIMARY KEY, name text)");
        for (var i = 0; i < 20; i++)
        {
            await connection.ExecuteAsync("INSERT INTO t (id, name) VALUES (@i, @name)", new { i, name = $"n{i}" });
        }

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal($"n{i}", await connection.QuerySingleAsync<string>("SELECT name FROM t WHERE id = @i", new { i }));
            var ids = Enumerable.Range(0, i + 1).ToArray(); // Dapper rewrites the text after adding the list's parameters
            Assert.Equal(ids.Select(x => $"n{x}"), await connection.QueryAsync<string>("SELECT name FROM t WHERE id IN @ids ORDER BY id", new { ids }));
        }
    }

    [Fact]
    public async Task Command_DisposedWhileItsReaderIsOpen_IsNotKeptForTheNextUser()
    {
        await using var writer = await WriterAsync();
        var connection = writer.Connection;
        await connection.ExecuteAsync("CREATE TEMP TABLE r (id integer PRIMARY KEY)");
        await connection.ExecuteAsync("INSERT INTO r (id) VALUES (1), (2), (3)");

        var open = connection.CreateCommand();
        open.CommandText = "SELECT id FROM r ORDER BY id";
        var reader = await open.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        open.Dispose(); // given back while its reader is still being read: closed with it, as on a plain connection

        Assert.True(reader.IsClosed);
        Assert.Equal(0, ((StatementCache)connection).CountOf("SELECT id FROM r ORDER BY id"));
        Assert.Equal([1L, 2L, 3L], await connection.QueryAsync<long>("SELECT id FROM r ORDER BY id"));
        Assert.Equal(1, ((StatementCache)connection).CountOf("SELECT id FROM r ORDER BY id"));
    }

    [Fact]
    public async Task Cache_ManyDistinctTexts_StaysSmall()
    {
        await using var writer = await WriterAsync();
        var cache = (StatementCache)writer.Connection;
        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal((long)i, await cache.ExecuteScalarAsync<long>($"SELECT {i}"));
        }

        Assert.InRange(cache.Count, 1, 200);
    }

    [Fact]
    public async Task TakeWriter_AfterAFailure_OpensANewConnectionAndWritesGoOn()
    {
        var dialect = await StoreFixture.CreateAsync("sqlite");
        object failedConnection;
        await using (var writer = await dialect.TakeWriterAsync(CancellationToken.None))
        {
            failedConnection = writer.Connection;
            await Assert.ThrowsAnyAsync<Exception>(() => writer.Connection.ExecuteAsync("INSERT INTO no_such_table VALUES (1)"));
            writer.Failed();
        }

        await using (var writer = await dialect.TakeWriterAsync(CancellationToken.None))
        {
            Assert.NotSame(failedConnection, writer.Connection);
            Assert.Equal(1L, await writer.Connection.ExecuteScalarAsync<long>("SELECT 1"));
        }

        await using (var writer = await dialect.TakeWriterAsync(CancellationToken.None))
        {
            Assert.Equal(2L, await writer.Connection.ExecuteScalarAsync<long>("PRAGMA synchronous")); // FULL, as every connection
        }
    }

    private static async Task<WriterLease> WriterAsync()
    {
        var dialect = await StoreFixture.CreateAsync("sqlite");
        return await dialect.TakeWriterAsync(CancellationToken.None);
    }
}
