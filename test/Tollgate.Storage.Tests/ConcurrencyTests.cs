using NodaTime;
using Tollgate.Core.Funding;
using Tollgate.Core.Tenants;
using Tollgate.Storage.Ledger;

namespace Tollgate.Storage.Tests;

/// <summary>Many writers on one account of limited funds: holds never exceed the funds; the final balance is exact.</summary>
public sealed class ConcurrencyTests
{
    private const int Writers = 64;

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Hold_64ParallelWriters_AcceptedNeverExceedFunds(string engine)
    {
        var (store, _) = await StoreFixture.StoreAsync(engine);
        await store.SaveTenantAsync(new TenantSettings("acme", PriceBook: "test-book", Strict: true));
        var account = (await store.TopUpAsync(new TopUp("acme", "r1", AccountKind.Recharge, "credits", 50m))).AccountId;

        var holds = await Task.WhenAll(Enumerable.Range(0, Writers).Select(i => Task.Run(() =>
            store.HoldAsync(new HoldRequest("acme", $"h{i}", Duration.FromMinutes(5), Amount: 1m, Unit: "credits")))));

        Assert.Equal(50, holds.Count(h => h.Status == HoldResult.Held));
        Assert.All(holds.Where(h => h.Status != HoldResult.Held), h => Assert.Equal(LedgerErrors.InsufficientFunds, h.Error?.Code));
        var balance = (await store.GetBalancesAsync("acme")).Single(b => b.AccountId == account);
        Assert.Equal((50m, 50m, 0m), (balance.Posted, balance.Held, balance.Available));

        // Settle half with 1 credit of usage each, in parallel: the balance ends exact.
        var settled = await Task.WhenAll(holds.Where(h => h.Status == HoldResult.Held).Take(25).Select(h => Task.Run(() =>
            store.SettleAsync("acme", h.HoldId, Events.Fee($"use-{h.HoldId}", model: "one")))));
        Assert.All(settled, s => Assert.Equal(1m, s.Amount));
        var after = (await store.GetBalancesAsync("acme")).Single(b => b.AccountId == account);
        Assert.Equal((25m, 25m, 0m), (after.Posted, after.Held, after.Available));
        Assert.True((await store.CheckAsync()).Clean);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Record_64ParallelWritersStrict_ChargesNeverExceedFunds(string engine)
    {
        var (store, _) = await StoreFixture.StoreAsync(engine);
        await store.SaveTenantAsync(new TenantSettings("acme", PriceBook: "test-book", Strict: true));
        var account = (await store.TopUpAsync(new TopUp("acme", "r1", AccountKind.Recharge, "credits", 300m))).AccountId;

        var results = await Task.WhenAll(Enumerable.Range(0, Writers).Select(i => Task.Run(() => store.RecordAsync([Events.Fee($"e{i}")]))));

        Assert.Equal(30, results.Count(r => r[0].Status == RecordResult.Charged));
        Assert.Equal(0m, (await store.GetBalancesAsync("acme")).Single(b => b.AccountId == account).Posted);
        Assert.True((await store.CheckAsync()).Clean);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Record_SameIdsRacingWithDifferentPayers_ChargedOnce(string engine)
    {
        // Under message billing the same id with another subject locks another payer's accounts, so row locks do
        // not serialize the two; the event insert must notice the race and record the batch again.
        var (store, _) = await StoreFixture.StoreAsync(engine);
        var billing = FundingRoutes.Default with { MessageBilling = true };
        await store.SaveTenantAsync(new TenantSettings("acme", PriceBook: "test-book", Routes: billing));
        foreach (var user in new[] { "alice", "bob" })
        {
            await store.TopUpAsync(new TopUp("acme", $"r-{user}", AccountKind.Recharge, "credits", 1000m, Owner: user));
        }

        const int Ids = 40;
        var results = await Task.WhenAll(Enumerable.Range(0, Ids).SelectMany(i => new[] { "alice", "bob" }.Select(user => Task.Run(() =>
            store.RecordAsync([Events.Fee($"e{i}", subject: user)])))));

        var charged = results.Select(r => r[0]).Where(r => r.Status == RecordResult.Charged && !r.Duplicate).ToList();
        Assert.Equal(Ids, charged.Count);
        Assert.Equal(Ids, charged.Select(r => r.EventId).Distinct().Count());
        Assert.All(results.Select(r => r[0]).Where(r => r.Status != RecordResult.Charged), r => Assert.Equal(LedgerErrors.IdempotencyConflict, r.Error?.Code));
        var spent = (await store.GetBalancesAsync("acme")).Where(b => b.Kind == "recharge").Sum(b => 1000m - b.Posted);
        Assert.Equal(Ids * charged[0].Amount, spent);
        Assert.True((await store.CheckAsync()).Clean);
    }

    [Fact]
    public async Task Record_TwoIndependentPoolsOnOnePostgres_NeverOverdraw()
    {
        // Two stores with their own connection pools, as two Tollgate nodes would have: only PostgreSQL's row
        // locks stand between them.
        var dialect = await StoreFixture.CreateAsync("postgres");
        var clock = new TestClock(Instant.FromUtc(2025, 3, 1, 2, 0));
        var nodeA = new LedgerStore(dialect, clock, StoreFixture.Books);
        await nodeA.MigrateAsync();
        var connection = ((Sql.PostgresDialect)dialect).ConnectionString;
        var nodeB = new LedgerStore(new Sql.PostgresDialect(connection), clock, StoreFixture.Books);
        await nodeB.SaveTenantAsync(new TenantSettings("acme", PriceBook: "test-book", Strict: true));
        var account = (await nodeA.TopUpAsync(new TopUp("acme", "r1", AccountKind.Recharge, "credits", 200m))).AccountId;

        var results = await Task.WhenAll(Enumerable.Range(0, Writers).Select(i => Task.Run(() => (i % 2 == 0 ? nodeA : nodeB).RecordAsync([Events.Fee($"e{i}")]))));

        Assert.Equal(20, results.Count(r => r[0].Status == RecordResult.Charged));
        Assert.Equal(0m, (await nodeB.GetBalancesAsync("acme")).Single(b => b.AccountId == account).Posted);
        Assert.True((await nodeA.CheckAsync()).Clean);
    }
}
