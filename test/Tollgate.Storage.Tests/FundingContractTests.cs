using NodaTime;
using Tollgate.Core.Events;
using Tollgate.Core.Funding;
using Tollgate.Core.Tenants;
using Tollgate.Storage.Ledger;

namespace Tollgate.Storage.Tests;

/// <summary>The deduction rules of the seeds, end to end through a real store.</summary>
public sealed class FundingContractTests
{
    private static TenantSettings Tenant(string id = "acme") => new(id, PriceBook: "test-book");

    private static async Task<decimal> Balance(LedgerStore store, long account, string tenant = "acme") =>
        (await store.GetBalancesAsync(tenant)).Single(b => b.AccountId == account).Posted;

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Record_SeedExample_TakesFiveFromRechargeAndFiveFromBonus(string engine)
    {
        var (store, _) = await StoreFixture.StoreAsync(engine);
        await store.SaveTenantAsync(Tenant());
        var recharge = await store.TopUpAsync(new TopUp("acme", "r1", AccountKind.Recharge, "credits", 10m));
        var bonus = await store.TopUpAsync(new TopUp("acme", "g1", AccountKind.Bonus, "credits", 10m));

        var result = Assert.Single(await store.RecordAsync([Events.Fee("e1")]));

        Assert.Equal(RecordResult.Charged, result.Status);
        Assert.Equal(10m, result.Amount);
        Assert.Equal([5m, 5m], result.Payments!.Select(p => p.Amount));
        Assert.Equal(5m, await Balance(store, recharge.AccountId));
        Assert.Equal(5m, await Balance(store, bonus.AccountId));
        Assert.True((await store.CheckAsync()).Clean);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Record_ResourcePackWithEnoughTokens_PaysFirstAndMoneyDoesNotMove(string engine)
    {
        var (store, _) = await StoreFixture.StoreAsync(engine);
        await store.SaveTenantAsync(Tenant());
        var recharge = await store.TopUpAsync(new TopUp("acme", "r1", AccountKind.Recharge, "credits", 10m));
        var bonus = await store.TopUpAsync(new TopUp("acme", "g1", AccountKind.Bonus, "credits", 10m));
        var scope = new AccountScope(new HashSet<string>(), new HashSet<string> { "m" }, new HashSet<string>());
        var pack = await store.TopUpAsync(new TopUp("acme", "p1", AccountKind.ResourcePack, "tokens", 1_000_000m, Scope: scope));

        var result = Assert.Single(await store.RecordAsync([Events.Tokens("e1", 6_000m, 4_000m)]));

        var payment = Assert.Single(result.Payments!);
        Assert.Equal((pack.AccountId, 10_000m, 10m), (payment.AccountId, payment.Amount, payment.Covers));
        Assert.Equal(10m, await Balance(store, recharge.AccountId));
        Assert.Equal(10m, await Balance(store, bonus.AccountId));
        Assert.Equal(990_000m, await Balance(store, pack.AccountId));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Record_ThirtyFreeApiCalls_ThenPaid(string engine)
    {
        var (store, _) = await StoreFixture.StoreAsync(engine);
        await store.SaveTenantAsync(Tenant());
        var apiOnly = new AccountScope(new HashSet<string>(), new HashSet<string>(), new HashSet<string> { Channels.Api });
        var quota = await store.OpenAccountAsync(new OpenAccount("acme", AccountKind.FreeQuota, "calls", Scope: apiOnly, QuotaPeriod: "lifetime", QuotaLimit: 30m));
        var recharge = await store.TopUpAsync(new TopUp("acme", "r1", AccountKind.Recharge, "credits", 100m));

        var results = await store.RecordAsync([.. Enumerable.Range(1, 31).Select(i => Events.Fee($"api-{i}", channel: Channels.Api))]);

        Assert.All(results.Take(30), r => Assert.Equal(AccountKinds.FreeQuota, Assert.Single(r.Payments!).Kind));
        Assert.Equal(AccountKinds.Recharge, Assert.Single(results[30].Payments!).Kind);
        Assert.Equal(0m, await Balance(store, quota));
        Assert.Equal(90m, await Balance(store, recharge.AccountId));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Record_TenFreeWorkflowRunsPerDay_BackAtTenantMidnight(string engine)
    {
        // 2025-03-01 10:00 in Asia/Shanghai is 02:00 UTC; the tenant's midnight is 16:00 UTC.
        var (store, clock) = await StoreFixture.StoreAsync(engine, Instant.FromUtc(2025, 3, 1, 2, 0));
        await store.SaveTenantAsync(Tenant() with { TimeZone = "Asia/Shanghai" });
        var runs = new AccountScope(new HashSet<string>(), new HashSet<string>(), new HashSet<string> { Channels.WorkflowTest });
        var quota = await store.OpenAccountAsync(new OpenAccount("acme", AccountKind.FreeQuota, "runs", Scope: runs, QuotaPeriod: "day", QuotaLimit: 10m));
        var recharge = await store.TopUpAsync(new TopUp("acme", "r1", AccountKind.Recharge, "credits", 100m));

        // The day that counts is the event's, in the tenant's zone (the server's clock moves with it here).
        var day1 = await store.RecordAsync([.. Enumerable.Range(1, 11).Select(i => Events.Fee($"d1-{i}", channel: Channels.WorkflowTest))]);
        clock.Set(Instant.FromUtc(2025, 3, 1, 15, 59));
        var beforeMidnight = Assert.Single(await store.RecordAsync([At(Events.Fee("d1-late", channel: Channels.WorkflowTest), clock)]));
        clock.Set(Instant.FromUtc(2025, 3, 1, 16, 0));
        var afterMidnight = Assert.Single(await store.RecordAsync([At(Events.Fee("d2-1", channel: Channels.WorkflowTest), clock)]));

        Assert.Equal(10, day1.Count(r => r.Payments!.Single().Kind == AccountKinds.FreeQuota));
        Assert.Equal(AccountKinds.Recharge, day1[10].Payments!.Single().Kind);
        Assert.Equal(AccountKinds.Recharge, beforeMidnight.Payments!.Single().Kind);
        Assert.Equal(AccountKinds.FreeQuota, afterMidnight.Payments!.Single().Kind);
        Assert.Equal(9m, await Balance(store, quota));
        Assert.Equal(80m, await Balance(store, recharge.AccountId));
        Assert.True((await store.CheckAsync()).Clean);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Record_LateEventsOfAnotherDay_UseThatDaysDailyQuotaNotTodays(string engine)
    {
        // 2025-03-02 10:00 in Asia/Shanghai; events of 1 March (yesterday), 2 March (today) and 3 March (tomorrow), local.
        var (store, _) = await StoreFixture.StoreAsync(engine, Instant.FromUtc(2025, 3, 2, 2, 0));
        await store.SaveTenantAsync(Tenant() with { TimeZone = "Asia/Shanghai" });
        var quota = await store.OpenAccountAsync(new OpenAccount("acme", AccountKind.FreeQuota, "runs", QuotaPeriod: "day", QuotaLimit: 10m));
        await store.TopUpAsync(new TopUp("acme", "r1", AccountKind.Recharge, "credits", 100m));
        UsageEvent Run(string id, int utcDay, int utcHour) => Events.Fee(id) with { Time = Instant.FromUtc(2025, 3, utcDay, utcHour, 0).WithOffset(Offset.Zero) };

        // One batch, days mixed: each day has its own ten.
        var mixed = await store.RecordAsync([
            .. Enumerable.Range(0, 3).Select(i => Run($"today-{i}", 2, 3)),
            .. Enumerable.Range(0, 12).Select(i => Run($"yesterday-{i}", 1, 10)),
            .. Enumerable.Range(3, 7).Select(i => Run($"today-{i}", 2, 3)),
            Run("yesterday-12", 1, 11),
        ]);
        Assert.Equal(
            [.. Enumerable.Repeat(true, 3), .. Enumerable.Repeat(true, 10), false, false, .. Enumerable.Repeat(true, 7), false],
            mixed.Select(Free));

        // Tomorrow's first run refills the quota; today's next run, in the same batch and in a later one, is not free.
        var turn = await store.RecordAsync([Run("tomorrow-0", 2, 17), Run("today-10", 2, 4)]);
        var later = await store.RecordAsync([Run("today-11", 2, 5), Run("yesterday-13", 1, 12), Run("tomorrow-1", 2, 18)]);

        Assert.Equal([true, false], turn.Select(Free));
        Assert.Equal([false, false, true], later.Select(Free));
        Assert.Equal(8m, await Balance(store, quota));
        Assert.True((await store.CheckAsync()).Clean);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Record_Routing_ApiPaysApiTokensEditorPaysCreditsStoreIsFree(string engine)
    {
        var (store, _) = await StoreFixture.StoreAsync(engine);
        await store.SaveTenantAsync(Tenant() with { Routes = FundingRoutes.ApiTokensForApi });
        var tokens = await store.TopUpAsync(new TopUp("acme", "t1", AccountKind.Recharge, "api_tokens", 100m));
        var credits = await store.TopUpAsync(new TopUp("acme", "c1", AccountKind.Recharge, "credits", 100m));

        var results = await store.RecordAsync([
            Events.Fee("api", channel: Channels.Api),
            Events.Fee("editor", channel: Channels.Editor),
            Events.Fee("trigger-store", channel: Channels.Store),
            Events.Fee("trigger-discord", channel: "discord"),
        ]);

        Assert.Equal(("api_tokens", tokens.AccountId), (results[0].Unit, results[0].Payments!.Single().AccountId));
        Assert.Equal(("credits", credits.AccountId), (results[1].Unit, results[1].Payments!.Single().AccountId));
        Assert.Equal(("nobody", 0m), (results[2].Payer, results[2].Amount));
        Assert.Equal(10m, results[3].Amount);
        Assert.Equal(90m, await Balance(store, tokens.AccountId));
        Assert.Equal(80m, await Balance(store, credits.AccountId));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Record_MessageBilling_EndUserPays(string engine)
    {
        var (store, _) = await StoreFixture.StoreAsync(engine);
        await store.SaveTenantAsync(Tenant() with { Routes = FundingRoutes.Default with { MessageBilling = true } });
        var developer = await store.TopUpAsync(new TopUp("acme", "dev", AccountKind.Recharge, "credits", 100m));
        var user = await store.TopUpAsync(new TopUp("acme", "u1", AccountKind.Recharge, "credits", 50m, Owner: "user-7"));

        var result = Assert.Single(await store.RecordAsync([Events.Fee("e1", subject: "user-7")]));

        Assert.Equal("end_user:user-7", result.Payer);
        Assert.Equal(40m, await Balance(store, user.AccountId));
        Assert.Equal(100m, await Balance(store, developer.AccountId));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Record_BatchOfSeveralPayers_EachAnswerCarriesItsPayersBalancesAfterTheBatch(string engine)
    {
        var (store, _) = await StoreFixture.StoreAsync(engine);
        await store.SaveTenantAsync(Tenant() with { Routes = FundingRoutes.Default with { MessageBilling = true } });
        await store.TopUpAsync(new TopUp("acme", "dev", AccountKind.Recharge, "credits", 100m));
        await store.TopUpAsync(new TopUp("acme", "u1", AccountKind.Recharge, "credits", 50m, Owner: "user-7"));
        await store.TopUpAsync(new TopUp("acme", "u2", AccountKind.Bonus, "credits", 5m, Owner: "user-8"));
        await store.RecordAsync([Events.Fee("before", subject: "user-7")]);

        // Two payers, one of them overdrawn into arrears, a repeat within the batch and a repeat of an earlier event.
        var results = await store.RecordAsync([
            Events.Fee("e1", subject: "user-7"), Events.Fee("e2"), Events.Fee("e3", subject: "user-8"), Events.Fee("e1", subject: "user-7"),
            Events.Fee("e4", subject: "user-7"), Events.Fee("before", subject: "user-7")]);

        Assert.All(results, r => Assert.Equal(RecordResult.Charged, r.Status));
        foreach (var r in results)
        {
            Assert.Equal(await store.GetOwnerBalancesAsync("acme", [r.PayerOwner]), r.PayerBalances);
        }

        Assert.Contains((await store.GetOwnerBalancesAsync("acme", ["user-8"])), b => b.Kind == AccountKinds.Arrears && b.Posted == -5m);
        Assert.Equal([true, true], results.Where(r => r.Duplicate).Select(r => r.PayerBalances is not null));
    }

    private static bool Free(RecordResult r) => r.Payments!.Single().Kind == AccountKinds.FreeQuota;

    private static UsageEvent At(UsageEvent e, TestClock clock) => e with { Time = clock.GetCurrentInstant().WithOffset(Offset.Zero) };
}
