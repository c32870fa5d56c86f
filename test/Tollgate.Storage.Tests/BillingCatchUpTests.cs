using NodaTime;
using Tollgate.Core.Funding;
using Tollgate.Core.Tenants;
using Tollgate.Storage.Billing;
using Tollgate.Storage.Ledger;

namespace Tollgate.Storage.Tests;

/// <summary>A tenant whose usage is dated months back catches up its bills: the days with usage, in order, none empty.</summary>
public sealed class BillingCatchUpTests
{
    [Theory]
    [ClassData(typeof(Engines))]
    public async Task IssueDue_UsageMonthsBeforeTheTenant_IssuesTheDaysWithUsageOnceInOrder(string engine)
    {
        var (store, clock) = await StoreFixture.StoreAsync(engine, BillingTests.Local("UTC", 2026, 11, 19, 12, 0));
        await store.SaveTenantAsync(new TenantSettings("acme", PriceBook: "test-book"));
        await store.TopUpAsync(new TopUp("acme", "t1", AccountKind.Recharge, "credits", 1000m));
        await store.RecordAsync([
            BillingTests.Fee("first", BillingTests.Local("UTC", 2026, 6, 1, 10, 0), calls: 1),
            BillingTests.Fee("in-first-chunk", BillingTests.Local("UTC", 2026, 7, 15, 10, 0), calls: 2),
            BillingTests.Fee("in-second-chunk", BillingTests.Local("UTC", 2026, 10, 1, 10, 0), calls: 3),
        ]);
        var bills = new BillingStore(store.Dialect, clock);

        var issued = await bills.IssueDueAsync(Duration.FromDays(1));

        // 170 daily cycles are due (2026-06-01 through 2026-11-17); only the three with usage get a bill.
        Assert.Equal(["2026-06-01", "2026-07-15", "2026-10-01"], issued.Select(b => b.Id).ToList());
        var charged = issued.Where(b => b.Units.Count > 0).ToDictionary(b => b.Id, b => Assert.Single(b.Units).Total);
        Assert.Equal(new Dictionary<string, decimal> { ["2026-06-01"] = 1m, ["2026-07-15"] = 2m, ["2026-10-01"] = 3m }, charged);
        Assert.Empty(await bills.IssueDueAsync(Duration.FromDays(1)));
        Assert.Null(await bills.GetAsync("acme", "2026-06-02"));
    }

    [Fact]
    public async Task IssueDue_WhileAnotherWriterHoldsTheWriter_WaitsInTheQueueAndIssuesWhenItIsGivenBack()
    {
        var (store, clock) = await StoreFixture.StoreAsync("sqlite", BillingTests.Local("UTC", 2026, 11, 19, 12, 0));
        await store.SaveTenantAsync(new TenantSettings("acme", PriceBook: "test-book"));
        await store.TopUpAsync(new TopUp("acme", "t1", AccountKind.Recharge, "credits", 1000m));
        await store.RecordAsync([BillingTests.Fee("first", BillingTests.Local("UTC", 2026, 11, 1, 10, 0), calls: 1)]);
        var bills = new BillingStore(store.Dialect, clock);

        // A record batch or a group of holds has the writer (no SQL lock taken yet): billing queues behind it, in
        // memory, rather than racing it for SQLite's write lock.
        var writer = await store.Dialect.TakeWriterAsync(CancellationToken.None);
        var issuing = bills.IssueDueAsync(Duration.FromDays(1));
        await Task.Delay(300);
        Assert.False(issuing.IsCompleted);

        await writer.DisposeAsync();
        Assert.Equal(["2026-11-01"], (await issuing.WaitAsync(TimeSpan.FromSeconds(30))).Select(b => b.Id).ToList());
    }
}
