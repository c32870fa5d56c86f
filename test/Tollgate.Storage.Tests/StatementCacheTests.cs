using CsCheck;
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

    /// <summary>
    /// Dapper names a parameter after its property (<c>tenant</c>); Microsoft.Data.Sqlite then looked the name up four
    /// times per execution (as it is, then after <c>:</c>, <c>@</c> and <c>$</c>), allocating each try. The cache's
    /// commands give their parameters the <c>@</c> of the SQL, and a prefixed or empty name is left as it is.
    /// </summary>
    [Fact]
    public async Task CreateParameter_ANameWithoutPrefix_GetsTheAtOfTheSql_AndDapperStillBindsByName()
    {
        await using var writer = await WriterAsync();
        await using var command = writer.Connection.CreateCommand();
        command.CommandText = "SELECT @tenant || :other";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "tenant";
        Assert.Equal("@tenant", parameter.ParameterName);
        parameter.ParameterName = ":other";
        Assert.Equal(":other", parameter.ParameterName);
        parameter.ParameterName = string.Empty;
        Assert.Equal(string.Empty, parameter.ParameterName);

        Assert.Equal("acme-1", await writer.Connection.ExecuteScalarAsync<string>("SELECT @tenant || '-' || @n", new { tenant = "acme", n = 1 }));
    }

    /// <summary>A row insert's text is built once per table, columns and suffix, however often callers pass a new column array.</summary>
    [Fact]
    public void RowStatement_EqualShapesFromNewArrays_AreOneText_OtherShapesAnother()
    {
        string[] Columns() => ["tenant_id", "amount"];
        var first = Bulk.RowStatement("transfers", Columns(), "ON CONFLICT DO NOTHING");
        Assert.Equal("INSERT INTO transfers (tenant_id, amount) VALUES (?1, ?2) ON CONFLICT DO NOTHING", first);
        Assert.Same(first, Bulk.RowStatement("transfers", Columns(), "ON CONFLICT DO NOTHING"));
        Assert.Equal("INSERT INTO transfers (tenant_id, amount) VALUES (?1, ?2) ", Bulk.RowStatement("transfers", Columns(), string.Empty));
        Assert.Equal("INSERT INTO transfers (amount) VALUES (?1) ", Bulk.RowStatement("transfers", ["amount"], string.Empty));
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
            // Its last transaction committed lazily (synchronous=NORMAL), then the next one failed.
            await (await dialect.BeginLazyWriteAsync(writer.Connection, CancellationToken.None)).CommitAsync();
            await Assert.ThrowsAnyAsync<Exception>(() => writer.Connection.ExecuteAsync("INSERT INTO no_such_table VALUES (1)"));
            writer.Failed();
        }

        // The closed writer's NORMAL setting went with it: every pooled connection still commits at FULL.
        var pooled = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => dialect.OpenAsync(CancellationToken.None)));
        foreach (var connection in pooled)
        {
            await using (connection)
            {
                Assert.Equal(2L, await connection.ExecuteScalarAsync<long>("PRAGMA synchronous"));
            }
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

    [Fact]
    public async Task DisposeAsync_ClosesTheWritersConnection_AndALaterWriterOpensANewOne()
    {
        var dialect = await StoreFixture.CreateAsync("sqlite");
        StatementCache first;
        await using (var writer = await dialect.TakeWriterAsync(CancellationToken.None))
        {
            first = (StatementCache)writer.Connection;
        }

        await dialect.DisposeAsync();
        Assert.Equal(System.Data.ConnectionState.Closed, first.Inner.State);

        await using (var writer = await dialect.TakeWriterAsync(CancellationToken.None))
        {
            Assert.NotSame(first, writer.Connection);
            Assert.Equal(1L, await writer.Connection.ExecuteScalarAsync<long>("SELECT 1"));
        }
    }

    [Fact]
    public async Task InsertRows_EveryValueKind_IsStoredAsMicrosoftDataSqliteStoresIt()
    {
        await using var writer = await WriterAsync();
        var cache = (StatementCache)writer.Connection;
        await cache.ExecuteAsync("CREATE TEMP TABLE v (id integer PRIMARY KEY, s, l, i, b, d, m, x, n)");
        object?[] values = ["text é ✓", 9_007_199_254_740_993L, 42, true, 0.25, 12.5000m, new byte[] { 1, 2, 3 }, null];

        Assert.Equal(1, cache.InsertRows("INSERT INTO v (id, s, l, i, b, d, m, x, n) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", [[1L, .. values]]));
        await cache.ExecuteAsync("INSERT INTO v (id, s, l, i, b, d, m, x, n) VALUES (2, @s, @l, @i, @b, @d, @m, @x, @n)",
            new { s = values[0], l = values[1], i = values[2], b = values[3], d = values[4], m = values[5], x = values[6], n = values[7] });

        const string Row = "SELECT typeof(s), s, typeof(l), l, typeof(i), i, typeof(b), b, typeof(d), d, typeof(m), m, typeof(x), hex(x), typeof(n) FROM v WHERE id = @id";
        var positional = (IDictionary<string, object>)await cache.QuerySingleAsync(Row, new { id = 1 });
        var named = (IDictionary<string, object>)await cache.QuerySingleAsync(Row, new { id = 2 });
        Assert.Equal(named.Values, positional.Values);
        Assert.Equal("12.5", positional["m"]);
    }

    [Fact]
    public async Task InsertRows_Utf8Text_IsStoredAsTheSameText()
    {
        await using var writer = await WriterAsync();
        var cache = (StatementCache)writer.Connection;
        await cache.ExecuteAsync("CREATE TEMP TABLE u (id integer PRIMARY KEY, t text)");
        const string Text = "{\"note\":\"é ✓ 中文 😀\"}";

        cache.InsertRows("INSERT INTO u (id, t) VALUES (?1, ?2)", [[1L, new Utf8Text(System.Text.Encoding.UTF8.GetBytes(Text))], [2L, Text]]);

        var rows = (await cache.QueryAsync<(string Type, string Text, long Length)>("SELECT typeof(t), t, length(t) FROM u ORDER BY id")).ToList();
        Assert.Equal(rows[1], rows[0]);
        Assert.Equal(("text", Text), (rows[0].Type, rows[0].Text));
    }

    [Fact]
    public async Task InsertRows_ValuesRepeatedOrChangedFromRowToRow_StoreEachRowsOwnValues()
    {
        // A value equal to the previous row's is not bound again; every other change of value, of type or to and
        // from null must be. Each random list of rows is compared with the same rows inserted one statement each.
        await using var writer = await WriterAsync();
        var cache = (StatementCache)writer.Connection;
        await cache.ExecuteAsync("CREATE TEMP TABLE p (batch integer, id integer, a, b, c, PRIMARY KEY (batch, id))");
        await cache.ExecuteAsync("CREATE TEMP TABLE q (batch integer, id integer, a, b, c, PRIMARY KEY (batch, id))");
        object?[] pool = ["x", "y", string.Empty, "1", 1L, 2L, 1, true, 1.5m, null, new Utf8Text("x"u8.ToArray())];
        var value = Gen.Int[0, pool.Length - 1].Select(i => pool[i]);
        var batch = 0L;

        Gen.Select(value, value, value).Array[1, 12].Sample(rows =>
        {
            batch++;
            var positional = rows.Select((r, id) => new object?[] { batch, (long)id, r.Item1, r.Item2, r.Item3 }).ToList();
            Assert.Equal(rows.Length, cache.InsertRows("INSERT INTO p (batch, id, a, b, c) VALUES (?1, ?2, ?3, ?4, ?5)", positional));
            foreach (var row in positional)
            {
                cache.InsertRows("INSERT INTO q (batch, id, a, b, c) VALUES (?1, ?2, ?3, ?4, ?5)", [row]);
            }

            const string Read = "SELECT id, typeof(a), quote(a), typeof(b), quote(b), typeof(c), quote(c) FROM {0} WHERE batch = @batch ORDER BY id";
            Assert.Equal(
                cache.Query<(long, string, string, string, string, string, string)>(string.Format(System.Globalization.CultureInfo.InvariantCulture, Read, "q"), new { batch }),
                cache.Query<(long, string, string, string, string, string, string)>(string.Format(System.Globalization.CultureInfo.InvariantCulture, Read, "p"), new { batch }));
        }, iter: 300, threads: 1); // one connection: one sample at a time
    }

    [Fact]
    public async Task InsertRows_AConstraintFails_ThrowsSqliteErrorAndTheNextCallStillWorks()
    {
        await using var writer = await WriterAsync();
        var cache = (StatementCache)writer.Connection;
        await cache.ExecuteAsync("CREATE TEMP TABLE k (id integer PRIMARY KEY, name text NOT NULL)");
        const string Insert = "INSERT INTO k (id, name) VALUES (?1, ?2)";

        Assert.Equal(2, cache.InsertRows(Insert, [[1L, "a"], [2L, "b"]]));
        var error = Assert.Throws<Microsoft.Data.Sqlite.SqliteException>(() => cache.InsertRows(Insert, [[3L, "c"], [1L, "again"]]));
        Assert.Equal(19, error.SqliteErrorCode); // SQLITE_CONSTRAINT
        Assert.Equal(1, cache.InsertRows(Insert + " ON CONFLICT (id) DO NOTHING", [[1L, "again"], [4L, "d"]]));
        Assert.Equal(["a", "b", "c", "d"], await cache.QueryAsync<string>("SELECT name FROM k ORDER BY id"));
    }

    private static async Task<WriterLease> WriterAsync()
    {
        var dialect = await StoreFixture.CreateAsync("sqlite");
        return await dialect.TakeWriterAsync(CancellationToken.None);
    }
}
