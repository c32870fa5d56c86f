using Dapper;
using NodaTime;
using Tollgate.Core.Funding;
using Tollgate.Core.Tenants;
using Tollgate.Storage.Ledger;

namespace Tollgate.Storage.Tests;

/// <summary>
/// Holds, settlements and releases share transactions (group commit): each operation keeps its own result and its own
/// savepoint, so one that fails or is refused leaves the others' writes, and none of its own.
/// </summary>
public sealed class GroupCommitTests
{
    [Fact]
    public async Task WriteAsync_OperationsArrivingDuringACommit_ShareTheNextTransaction()
    {
        var (store, _) = await StoreFixture.StoreAsync("sqlite");
        await store.SaveTenantAsync(new TenantSettings("acme", PriceBook: "test-book", Strict: true));
        await store.TopUpAsync(new TopUp("acme", "r1", AccountKind.Recharge, "credits", 1000m));
        var before = store.Writes.Commits;

        // The first operation keeps its transaction open until the other 100 are queued behind it.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = store.Writes.WriteAsync("acme", async _ => { await gate.Task; return 0; });
        var holds = Enumerable.Range(0, 100).Select(i => store.HoldAsync(new HoldRequest("acme", $"h{i}", Duration.FromMinutes(5), Amount: 1m, Unit: "credits"))).ToList();
        // The blocker's own caller writes it at once (alone); the holds queue behind it.
        await QueuedAsync(store, 100);
        Assert.Equal(100, store.Writes.Depth);

        gate.SetResult();
        await blocker;
        var results = await Task.WhenAll(holds);

        Assert.All(results, h => Assert.Equal(HoldResult.Held, h.Status));
        Assert.Equal(2, store.Writes.Commits - before);
        Assert.Equal(900m, (await store.GetBalancesAsync("acme")).Single(b => b.Kind == "recharge").Available);
        Assert.True((await store.CheckAsync()).Clean);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task WriteAsync_LazyAndDurableOperationsOfOneGroup_CommitApartAndOnlyDurableOnesWaitForTheDisk(string engine)
    {
        var (store, _) = await StoreFixture.StoreAsync(engine);
        var sqlite = engine == "sqlite";

        // What the transaction carrying each operation promises: SQLite's synchronous level (2 FULL, 1 NORMAL), or
        // PostgreSQL's synchronous_commit (always on: a database server can fail alone, so no commit there is lazy).
        Task<string> Setting(Sql.WriteScope scope) => scope.Connection.ExecuteScalarAsync<string>(
            sqlite ? "PRAGMA synchronous" : "SHOW synchronous_commit", transaction: scope.Transaction)!;

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = store.Writes.WriteAsync("acme", async _ => { await gate.Task; return 0; });
        var lazy = Enumerable.Range(0, 3).Select(_ => store.Writes.WriteAsync("acme", Setting, durable: false)).ToList();
        var durable = Enumerable.Range(0, 3).Select(_ => store.Writes.WriteAsync("acme", Setting)).ToList();
        if (sqlite)
        {
            await QueuedAsync(store, 6); // SQLite's one writer is held by the blocker: all six queue for one group
        }

        var before = store.Writes.Commits;
        gate.SetResult();
        await blocker;

        Assert.All(await Task.WhenAll(lazy), s => Assert.Equal(sqlite ? "1" : "on", s));
        Assert.All(await Task.WhenAll(durable), s => Assert.Equal(sqlite ? "2" : "on", s));
        if (sqlite)
        {
            Assert.Equal(3, store.Writes.Commits - before); // the blocker's, then the lazy and the durable ones apart
        }

        // After a lazy commit, the writers' connection is set back for every durable transaction (events, top-ups).
        await store.Writes.WriteAsync("acme", Setting, durable: false);
        await using var writer = await store.Dialect.TakeWriterAsync(CancellationToken.None);
        await using var tx = await store.Dialect.BeginWriteAsync(writer.Connection, CancellationToken.None);
        Assert.Equal(sqlite ? "2" : "on", await writer.Connection.ExecuteScalarAsync<string>(sqlite ? "PRAGMA synchronous" : "SHOW synchronous_commit", transaction: tx));
    }

    [Fact]
    public async Task WriteAsync_LazyHold_IsSeenAtOnceByOtherConnectionsAndCountsAgainstTheFunds()
    {
        var (store, _) = await StoreFixture.StoreAsync("sqlite");
        await store.SaveTenantAsync(new TenantSettings("acme", PriceBook: "test-book", Strict: true));
        await store.TopUpAsync(new TopUp("acme", "r1", AccountKind.Recharge, "credits", 10m));

        var hold = await store.PrepareHoldAsync(new HoldRequest("acme", "lazy", Duration.FromMinutes(5), Amount: 7m, Unit: "credits"));
        Assert.Equal(HoldResult.Held, (await store.Writes.WriteAsync("acme", scope => store.HoldAsync(scope, hold), durable: false)).Status);

        // A reader on a pooled connection sees it, and a durable hold that the rest cannot cover is refused.
        Assert.Equal(3m, (await store.GetBalancesAsync("acme")).Single(b => b.Kind == "recharge").Available);
        var refused = await store.HoldAsync(new HoldRequest("acme", "durable", Duration.FromMinutes(5), Amount: 4m, Unit: "credits"));
        Assert.Equal(LedgerErrors.InsufficientFunds, refused.Error?.Code);
        Assert.True((await store.CheckAsync()).Clean);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task WriteAsync_OneOperationThrowsOrIsRefused_TheOthersOfItsTransactionCommit(string engine)
    {
        var (store, _) = await StoreFixture.StoreAsync(engine);
        await store.SaveTenantAsync(new TenantSettings("acme", PriceBook: "test-book", Strict: true));
        await store.TopUpAsync(new TopUp("acme", "r1", AccountKind.Recharge, "credits", 10m));

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = store.Writes.WriteAsync("acme", async _ => { await gate.Task; return 0; });
        var first = store.HoldAsync(new HoldRequest("acme", "first", Duration.FromMinutes(5), Amount: 4m, Unit: "credits"));
        var doomed = await store.PrepareHoldAsync(new HoldRequest("acme", "doomed", Duration.FromMinutes(5), Amount: 1m, Unit: "credits"));
        var failing = store.Writes.WriteAsync<int>("acme", async scope =>
        {
            // Writes a hold, then fails: the hold must not survive.
            await store.HoldAsync(scope, doomed);
            throw new InvalidOperationException("boom");
        });
        var refused = store.HoldAsync(new HoldRequest("acme", "too-big", Duration.FromMinutes(5), Amount: 11m, Unit: "credits"));
        var last = store.HoldAsync(new HoldRequest("acme", "last", Duration.FromMinutes(5), Amount: 6m, Unit: "credits"));
        gate.SetResult();
        await blocker;

        Assert.Equal(HoldResult.Held, (await first).Status);
        Assert.Equal("boom", (await Assert.ThrowsAsync<InvalidOperationException>(() => failing)).Message);
        Assert.Equal(LedgerErrors.InsufficientFunds, (await refused).Error?.Code);
        Assert.Equal(HoldResult.Held, (await last).Status);

        await using var connection = await store.Dialect.OpenAsync(CancellationToken.None);
        var holds = (await connection.QueryAsync<string>("SELECT hold_id FROM holds WHERE tenant_id = 'acme' ORDER BY hold_id")).ToList();
        Assert.Equal(["first", "last"], holds);
        Assert.Equal(0m, (await store.GetBalancesAsync("acme")).Single(b => b.Kind == "recharge").Available);
        Assert.True((await store.CheckAsync()).Clean);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task SettleAndRelease_ManyConcurrentCalls_EachHoldEndsOnceAndTheLedgerBalances(string engine)
    {
        var (store, _) = await StoreFixture.StoreAsync(engine);
        await store.SaveTenantAsync(new TenantSettings("acme", PriceBook: "test-book", Strict: true));
        await store.TopUpAsync(new TopUp("acme", "r1", AccountKind.Recharge, "credits", 100m));

        // 200 calls race for 100 credits: each holds 1, then half settle 1 credit of use and half release, twice over.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
        {
            var hold = await store.HoldAsync(new HoldRequest("acme", $"c{i}", Duration.FromMinutes(5), Amount: 1m, Unit: "credits"));
            if (hold.Status != HoldResult.Held)
            {
                return "refused";
            }

            if (i % 2 == 0)
            {
                var settled = await Task.WhenAll(store.SettleAsync("acme", hold.HoldId, Events.Fee($"use-{i}", model: "one")), store.SettleAsync("acme", hold.HoldId, Events.Fee($"use-{i}", model: "one")));
                Assert.Equal(1, settled.Count(s => !s.Duplicate));
                return "settled";
            }

            var released = await Task.WhenAll(store.ReleaseAsync("acme", hold.HoldId), store.ReleaseAsync("acme", hold.HoldId));
            Assert.Equal(1, released.Count(r => r.Ended));
            return "released";
        })));

        var settledCount = outcomes.Count(o => o == "settled");
        // A hold is refused only when held and settled credits take all 100, so at least 100 calls got through.
        Assert.True(outcomes.Count(o => o != "refused") >= 100);
        var balance = (await store.GetBalancesAsync("acme")).Single(b => b.Kind == "recharge");
        Assert.Equal((100m - settledCount, 0m), (balance.Posted, balance.Held));
        Assert.True((await store.CheckAsync()).Clean);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Settle_ManySettlementsInOneTransaction_RollupsCountEachKeptSettlementOnce(string engine)
    {
        var (store, _) = await StoreFixture.StoreAsync(engine);
        await store.SaveTenantAsync(new TenantSettings("acme", PriceBook: "test-book", Strict: true));
        await store.TopUpAsync(new TopUp("acme", "r1", AccountKind.Recharge, "credits", 100m));
        foreach (var i in Enumerable.Range(0, 41))
        {
            Assert.Equal(HoldResult.Held, (await store.HoldAsync(new HoldRequest("acme", $"h{i}", Duration.FromMinutes(5), Amount: 1m, Unit: "credits"))).Status);
        }

        var before = store.Writes.Commits;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = store.Writes.WriteAsync("acme", async _ => { await gate.Task; return 0; });
        var settles = Enumerable.Range(0, 40).Select(i => store.SettleAsync("acme", $"h{i}", Events.Fee($"use-{i}", model: "one"))).ToList();

        // A settlement that fails after settling: neither its ledger writes nor its rollups may stay.
        var doomed = await store.PrepareSettlementAsync("acme", "h40", Events.Fee("use-40", model: "one"));
        var failing = store.Writes.WriteAsync<int>("acme", async scope =>
        {
            Assert.Equal(RecordResult.Charged, (await store.SettleAsync(scope, doomed)).Status);
            throw new InvalidOperationException("boom");
        });
        gate.SetResult();
        await blocker;

        Assert.All(await Task.WhenAll(settles), r => Assert.Equal(RecordResult.Charged, r.Status));
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        if (engine == "sqlite")
        {
            Assert.Equal(2, store.Writes.Commits - before);
        }

        await using var connection = await store.Dialect.OpenAsync(CancellationToken.None);
        Assert.Equal(40L, await connection.ExecuteScalarAsync<long>("SELECT SUM(events) FROM usage_rollups WHERE tenant_id = 'acme'"));
        Assert.Equal(40L, await connection.ExecuteScalarAsync<long>("SELECT SUM(events) FROM usage_subject_rollups WHERE tenant_id = 'acme'"));
        Assert.Equal(40L, await connection.ExecuteScalarAsync<long>("SELECT SUM(events) FROM usage_subject_totals WHERE tenant_id = 'acme'"));
        Assert.Equal(40L, await connection.ExecuteScalarAsync<long>("SELECT SUM(events) FROM bill_lines WHERE tenant_id = 'acme'"));
        Assert.Equal(HoldResult.Held, (await store.GetHoldAsync("acme", "h40")).Status);
        var balance = (await store.GetBalancesAsync("acme")).Single(b => b.Kind == "recharge");
        Assert.Equal((60m, 1m), (balance.Posted, balance.Held));
        Assert.True((await store.CheckAsync()).Clean);
    }

    /// <summary>Waits (up to 30 s) until <paramref name="depth"/> operations queue behind a blocked group.</summary>
    private static async Task QueuedAsync(LedgerStore store, int depth)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (store.Writes.Depth < depth && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(5);
        }
    }
}
