using NodaTime;
using Tollgate.Core.Events;
using Tollgate.Core.Funding;
using Tollgate.Core.Tenants;
using Tollgate.Storage.Alerts;
using Tollgate.Storage.Ledger;
using Tollgate.Storage.Usage;

namespace Tollgate.Storage.Tests;

/// <summary>Usage from rollups, discount tiers by cumulative recharge, and the alert monitor.</summary>
public sealed class UsageAndAlertTests
{
    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Query_GroupsAndBucketsByLocalDayFromRollups(string engine)
    {
        var (store, _) = await StoreFixture.StoreAsync(engine, BillingTests.Local("Asia/Shanghai", 2026, 11, 22, 12, 0));
        await store.SaveTenantAsync(new TenantSettings("acme", TimeZone: "Asia/Shanghai", PriceBook: "test-book"));
        await store.SaveTenantAsync(new TenantSettings("other", PriceBook: "test-book"));
        await store.RecordAsync([
            BillingTests.Fee("a", BillingTests.Local("Asia/Shanghai", 2026, 11, 20, 23, 30), calls: 2),
            BillingTests.Fee("b", BillingTests.Local("Asia/Shanghai", 2026, 11, 21, 0, 30), calls: 3),
            BillingTests.Fee("c", BillingTests.Local("Asia/Shanghai", 2026, 11, 21, 8, 0), calls: 1, model: "fee"),
            Events.Tokens("d", 1500, 500) with { Time = BillingTests.Local("Asia/Shanghai", 2026, 11, 21, 9, 0).WithOffset(Offset.Zero) },
            BillingTests.Fee("x", BillingTests.Local("Asia/Shanghai", 2026, 11, 21, 9, 0), tenant: "other"),
        ]);
        var usage = new UsageStore(store.Dialect);

        var byDay = await usage.QueryAsync(new UsageQuery("acme", Bucket: UsageBucket.Day, GroupBy: ["model"]));
        Assert.Equal(
            [("2026-11-20", "one", 1L, 2m), ("2026-11-21", "fee", 1L, 10m), ("2026-11-21", "m", 1L, 2m), ("2026-11-21", "one", 1L, 3m)],
            byDay.Select(r => (r.Bucket!, r.Group["model"], r.Events, r.Amounts["credits"])));
        Assert.Equal(1500m, byDay.Single(r => r.Group["model"] == "m").Quantities[Meters.InputTokens]);

        var tools = Assert.Single(await usage.QueryAsync(new UsageQuery("acme", Type: BillingTypes.Tool, From: BillingTests.Local("Asia/Shanghai", 2026, 11, 21, 0, 0))));
        Assert.Equal((2L, 4m, 13m), (tools.Events, tools.Quantities[Meters.Calls], tools.Amounts["credits"]));

        var everyone = await usage.QueryAsync(new UsageQuery(GroupBy: ["tenant"], Bucket: UsageBucket.Month));
        Assert.Equal([("acme", 4L), ("other", 1L)], everyone.Select(r => (r.Group["tenant"], r.Events)));

        await store.RecordAsync([Events.Fee("s1", "acme", "one", subject: "u-1") with { Time = BillingTests.Local("Asia/Shanghai", 2026, 11, 21, 23, 0).WithOffset(Offset.Zero) }]);
        var bySubject = await usage.QueryAsync(new UsageQuery("acme", GroupBy: ["subject"], Bucket: UsageBucket.Day));
        Assert.Equal([("2026-11-20", "", 1L), ("2026-11-21", "", 3L), ("2026-11-21", "u-1", 1L)], bySubject.Select(r => (r.Bucket!, r.Group["subject"], r.Events)));
        Assert.Equal(1m, Assert.Single(await usage.QueryAsync(new UsageQuery("acme", Subject: "u-1"))).Amounts["credits"]);
        await Assert.ThrowsAsync<ArgumentException>(() => usage.QueryAsync(new UsageQuery("acme", Subject: "u-1", Bucket: UsageBucket.Hour)));

        var hours = await usage.QueryAsync(new UsageQuery("acme", Bucket: UsageBucket.Hour, Model: "one"));
        Assert.Equal(["2026-11-20T23:00+08:00", "2026-11-21T00:00+08:00", "2026-11-21T23:00+08:00"], hours.Select(r => r.Bucket));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Record_CrossingADiscountTier_DiscountsLaterChargesOnly(string engine)
    {
        var (store, _) = await StoreFixture.StoreAsync(engine);
        await store.SaveTenantAsync(new TenantSettings("acme", PriceBook: "test-book", DiscountTiers: [new DiscountTier(100m, 0.9m), new DiscountTier(500m, 0.8m)]));
        await store.TopUpAsync(new TopUp("acme", "t1", AccountKind.Recharge, "credits", 1000m, Paid: 60m));
        var before = Assert.Single(await store.RecordAsync([Events.Fee("before")]));
        await store.TopUpAsync(new TopUp("acme", "t2", AccountKind.Recharge, "credits", 1000m, Paid: 60m));
        var after = Assert.Single(await store.RecordAsync([Events.Fee("after")]));
        await store.TopUpAsync(new TopUp("acme", "t3", AccountKind.Recharge, "credits", 1000m, Paid: 400m));
        var top = Assert.Single(await store.RecordAsync([Events.Fee("top")]));

        Assert.Equal((10m, 9m, 8m), (before.Amount, after.Amount, top.Amount));
        Assert.DoesNotContain(before.Charge!.Lines[0].Modifiers, m => m.Kind == "user_discount");
        var modifier = Assert.Single(after.Charge!.Lines[0].Modifiers, m => m.Kind == "user_discount");
        Assert.Equal(0.9m, modifier.Factor);
        Assert.Contains("100", modifier.Note, StringComparison.Ordinal);
        Assert.Equal(10m, (await store.GetEventAsync("acme", "before"))!.Result.Amount);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Monitor_LowBalanceAndExhaustedQuota_RaiseOneAlertPerCrossing(string engine)
    {
        var (store, clock) = await StoreFixture.StoreAsync(engine);
        await store.SaveTenantAsync(new TenantSettings("acme", PriceBook: "test-book", LowBalance: new Dictionary<string, decimal> { ["credits"] = 5m }));
        await store.TopUpAsync(new TopUp("acme", "t1", AccountKind.Recharge, "credits", 12m));
        await store.OpenAccountAsync(new OpenAccount("acme", AccountKind.FreeQuota, "credits", QuotaPeriod: "lifetime", QuotaLimit: 2m));
        var alerts = new AlertStore(store.Dialect, clock);
        var monitor = new AlertMonitor(store, alerts);

        Assert.Equal(0, await monitor.CheckAsync());
        await store.RecordAsync([Events.Fee("a1", model: "one"), Events.Fee("a2", model: "one")]); // a free quota counts requests: 2 free
        Assert.Equal(1, await monitor.CheckAsync());
        Assert.Equal(0, await monitor.CheckAsync());
        await store.RecordAsync([Events.Fee("b", model: "fee")]);
        Assert.Equal(1, await monitor.CheckAsync());
        Assert.Equal(0, await monitor.CheckAsync());

        await store.TopUpAsync(new TopUp("acme", "t2", AccountKind.Recharge, "credits", 100m));
        Assert.Equal(0, await monitor.CheckAsync());
        clock.Advance(Duration.FromMinutes(1));
        await store.RecordAsync([Events.Fee("c", model: "fee", calls: 10)]);
        Assert.Equal(1, await monitor.CheckAsync());

        var raised = await alerts.ListAlertsAsync("acme");
        Assert.Equal([AlertKinds.LowBalance, AlertKinds.LowBalance, AlertKinds.QuotaExhausted], raised.Select(a => a.Kind).Order());
        Assert.Contains("\"threshold\":\"5\"", raised[0].Body, StringComparison.Ordinal);
    }
}
