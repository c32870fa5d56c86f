using NodaTime;
using Tollgate.Core.Funding;
using Tollgate.Core.Tenants;
using Tollgate.Storage.Alerts;
using Tollgate.Storage.Billing;
using Tollgate.Storage.Ledger;
using static Tollgate.Storage.Tests.BillingTests;

namespace Tollgate.Storage.Tests;

/// <summary>
/// A cycle without charges gets no bill and no bill_issued alert (issue 12: a tenant whose first event was in March
/// got one bill a day since, 266 of them empty), later cycles are still issued in order, and bills list in pages.
/// </summary>
public sealed class EmptyCycleTests
{
    private static async Task<(LedgerStore Store, BillingStore Bills, TestClock Clock)> MarchTenantAsync(string engine)
    {
        var (store, clock) = await StoreFixture.StoreAsync(engine, Local("UTC", 2026, 3, 1, 8, 0));
        await store.SaveTenantAsync(new TenantSettings("acme", PriceBook: "test-book"));
        await store.TopUpAsync(new TopUp("acme", "t1", AccountKind.Recharge, "credits", 1000m));
        return (store, new BillingStore(store.Dialect, clock), clock);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task IssueDue_ThreeDaysWithEventsSinceMarch_IssuesThreeBillsAndThreeAlertsNotOnePerDay(string engine)
    {
        var (store, bills, clock) = await MarchTenantAsync(engine);
        clock.Set(Local("UTC", 2026, 11, 22, 12, 0));
        await store.RecordAsync([Fee("mar-3", Local("UTC", 2026, 3, 3, 9, 0)), Fee("mar-20", Local("UTC", 2026, 3, 20, 9, 0), calls: 2), Fee("nov-20", Local("UTC", 2026, 11, 20, 9, 0), calls: 4)]);

        var issued = await bills.IssueDueAsync(Duration.FromDays(1));

        Assert.Equal(["2026-03-03", "2026-03-20", "2026-11-20"], issued.Select(b => b.Id));
        Assert.All(issued, b => Assert.NotEmpty(b.Units));
        Assert.Equal(3L, await CountAsync(store, $"SELECT COUNT(*) FROM alerts WHERE kind = '{AlertKinds.BillIssued}'"));
        Assert.Equal(3L, await CountAsync(store, "SELECT COUNT(*) FROM bills"));
        Assert.Empty(await bills.IssueDueAsync(Duration.FromDays(1)));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task IssueDue_LateEventOfASkippedDay_GoesOnTheNextBillInOrder(string engine)
    {
        var (store, bills, clock) = await MarchTenantAsync(engine);
        clock.Set(Local("UTC", 2026, 3, 12, 0, 0));
        await store.RecordAsync([Fee("mar-3", Local("UTC", 2026, 3, 3, 9, 0)), Fee("mar-8", Local("UTC", 2026, 3, 8, 9, 0), calls: 2)]);
        Assert.Equal(["2026-03-03", "2026-03-08"], (await bills.IssueDueAsync(Duration.FromDays(1))).Select(b => b.Id));

        // 03-05 had no bill; its event arrives after the 03-08 bill: it is a late line of the next bill, which keeps the order.
        await store.RecordAsync([Fee("mar-5-late", Local("UTC", 2026, 3, 5, 9, 0), calls: 3)]);
        var next = Assert.Single(await bills.IssueDueAsync(Duration.FromDays(1)));
        Assert.Equal("2026-03-09", next.Id);
        var late = Assert.Single(Assert.Single(next.Units).Lines);
        Assert.Equal((new DateOnly(2026, 3, 5), 3m), (late.LateFrom, late.Amount));
        Assert.Null(await bills.GetAsync("acme", "2026-03-05"));
        Assert.Equal(6m, (await bills.BilledTotalsAsync("acme"))["credits"]);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task IssueThrough_ClosedCycleWithoutCharges_ThrowsCycleEmptyAndIssuesTheEarlierBills(string engine)
    {
        var (store, bills, clock) = await MarchTenantAsync(engine);
        clock.Set(Local("UTC", 2026, 3, 10, 0, 0));
        await store.RecordAsync([Fee("mar-3", Local("UTC", 2026, 3, 3, 9, 0))]);

        var empty = await Assert.ThrowsAsync<LedgerException>(() => bills.IssueThroughAsync("acme", new LocalDate(2026, 3, 5)));

        Assert.Equal((BillingErrors.CycleEmpty, "cycle"), (empty.Code, empty.Field));
        Assert.NotNull(await bills.GetAsync("acme", "2026-03-03"));
        Assert.Equal(1L, await CountAsync(store, "SELECT COUNT(*) FROM bills"));
        Assert.Equal(BillingErrors.CycleEmpty, (await Assert.ThrowsAsync<LedgerException>(() => bills.IssueThroughAsync("acme", new LocalDate(2026, 2, 1)))).Code);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task List_SevenBillsInPagesOfThree_FollowsTheCursorNewestFirstWithinFromAndTo(string engine)
    {
        var (store, bills, clock) = await MarchTenantAsync(engine);
        clock.Set(Local("UTC", 2026, 4, 1, 0, 0));
        await store.RecordAsync([.. Enumerable.Range(1, 7).Select(d => Fee($"e{d}", Local("UTC", 2026, 3, d * 3, 9, 0)))]);
        await bills.IssueDueAsync(Duration.FromDays(1));

        var pages = new List<BillPage>();
        string? cursor = null;
        do
        {
            pages.Add(await bills.ListAsync("acme", null, null, 3, cursor));
            cursor = pages[^1].NextCursor;
        }
        while (cursor is not null);

        Assert.Equal([3, 3, 1], pages.Select(p => p.Bills.Count));
        Assert.Equal(["2026-03-21", "2026-03-18", "2026-03-15", "2026-03-12", "2026-03-09", "2026-03-06", "2026-03-03"], pages.SelectMany(p => p.Bills).Select(b => b.Id));
        var window = await bills.ListAsync("acme", new LocalDate(2026, 3, 6), new LocalDate(2026, 3, 15), 500, null);
        Assert.Equal(["2026-03-12", "2026-03-09", "2026-03-06"], window.Bills.Select(b => b.Id));
        Assert.Null(window.NextCursor);
        var bad = await Assert.ThrowsAsync<LedgerException>(() => bills.ListAsync("acme", null, null, 3, "not-a-cursor"));
        Assert.Equal("cursor", bad.Field);
    }

    private static async Task<long> CountAsync(LedgerStore store, string sql)
    {
        await using var connection = await store.Dialect.OpenAsync(default);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
