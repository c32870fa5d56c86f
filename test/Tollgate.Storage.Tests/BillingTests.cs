using System.Text.Json;
using NodaTime;
using Tollgate.Core.Calendar;
using Tollgate.Core.Events;
using Tollgate.Core.Funding;
using Tollgate.Core.Tenants;
using Tollgate.Storage.Billing;
using Tollgate.Storage.Ledger;

namespace Tollgate.Storage.Tests;

/// <summary>Bills per cycle in the tenant's zone: when they appear, what they take, late lines, immutability.</summary>
public sealed class BillingTests
{
    private static readonly DateTimeZone Shanghai = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];

    internal static Instant Local(string zone, int y, int mo, int d, int h, int mi, int s = 0) =>
        new LocalDateTime(y, mo, d, h, mi, s).InZoneStrictly(DateTimeZoneProviders.Tzdb[zone]).ToInstant();

    internal static UsageEvent Fee(string id, Instant at, decimal calls = 1m, string tenant = "acme", string model = "one", string channel = Channels.Editor) =>
        Events.Fee(id, tenant, model, channel, calls: calls) with { Time = at.WithOffset(Offset.Zero) };

    private static async Task<(LedgerStore Store, BillingStore Bills, TestClock Clock)> ShanghaiTenantAsync(string engine)
    {
        var (store, clock) = await StoreFixture.StoreAsync(engine, Local("Asia/Shanghai", 2026, 11, 19, 12, 0));
        await store.SaveTenantAsync(new TenantSettings("acme", TimeZone: "Asia/Shanghai", PriceBook: "test-book"));
        await store.TopUpAsync(new TopUp("acme", "t1", AccountKind.Recharge, "credits", 1000m));
        return (store, new BillingStore(store.Dialect, clock), clock);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task IssueDue_ShanghaiEventsAroundMidnight_LandOnTheirDaysAndAppearAtDayPlusTwoLocalMidnight(string engine)
    {
        var (store, bills, clock) = await ShanghaiTenantAsync(engine);
        clock.Set(Local("Asia/Shanghai", 2026, 11, 21, 0, 30));
        await store.RecordAsync([
            Fee("before-midnight", Local("Asia/Shanghai", 2026, 11, 20, 23, 59, 59), calls: 1),
            Fee("at-midnight", Local("Asia/Shanghai", 2026, 11, 21, 0, 0, 0), calls: 2),
        ]);

        clock.Set(Local("Asia/Shanghai", 2026, 11, 22, 0, 0) - Duration.FromMilliseconds(1));
        await bills.IssueDueAsync(Duration.FromDays(1));
        Assert.Null(await bills.GetAsync("acme", "2026-11-20"));
        Assert.Null(await bills.GetAsync("acme", "2026-11-19"));

        clock.Advance(Duration.FromMilliseconds(1));
        var issued = await bills.IssueDueAsync(Duration.FromDays(1));
        var day20 = Assert.Single(issued);
        Assert.Equal("2026-11-20", day20.Id);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.FromHours(8)), day20.StartsAt);
        var section = Assert.Single(day20.Units);
        Assert.Equal(("credits", 1L, 1m), (section.Unit, section.Events, section.Total));
        Assert.Null(await bills.GetAsync("acme", "2026-11-21"));

        clock.Set(Local("Asia/Shanghai", 2026, 11, 23, 0, 0));
        var day21 = Assert.Single(await bills.IssueDueAsync(Duration.FromDays(1)));
        Assert.Equal(("2026-11-21", 2m), (day21.Id, Assert.Single(day21.Units).Total));
        Assert.Empty(await bills.IssueDueAsync(Duration.FromDays(1)));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task IssueDue_EventAfterItsBill_GoesOnTheNextBillOnceAsALateLine(string engine)
    {
        var (store, bills, clock) = await ShanghaiTenantAsync(engine);
        clock.Set(Local("Asia/Shanghai", 2026, 11, 20, 10, 0));
        await store.RecordAsync([Fee("on-time", Local("Asia/Shanghai", 2026, 11, 20, 9, 0), calls: 3)]);
        clock.Set(Local("Asia/Shanghai", 2026, 11, 22, 0, 0));
        await bills.IssueDueAsync(Duration.FromDays(1));
        var first = JsonSerializer.Serialize(await bills.GetAsync("acme", "2026-11-20"));

        await store.RecordAsync([Fee("late", Local("Asia/Shanghai", 2026, 11, 20, 22, 0), calls: 5), Fee("today", Local("Asia/Shanghai", 2026, 11, 22, 1, 0), calls: 1)]);
        clock.Set(Local("Asia/Shanghai", 2026, 11, 25, 0, 0));
        await bills.IssueDueAsync(Duration.FromDays(1));

        Assert.Equal(first, JsonSerializer.Serialize(await bills.GetAsync("acme", "2026-11-20")));
        var next = (await bills.GetAsync("acme", "2026-11-21"))!;
        var late = Assert.Single(Assert.Single(next.Units).Lines);
        Assert.Equal((new DateOnly(2026, 11, 20), 1L, 5m), (late.LateFrom, late.Events, late.Amount));
        Assert.Equal(1m, Assert.Single((await bills.GetAsync("acme", "2026-11-22"))!.Units).Total);
        Assert.Null(await bills.GetAsync("acme", "2026-11-23"));
        Assert.Equal(9m, (await bills.BilledTotalsAsync("acme"))["credits"]);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task IssueDue_DaysWhenClocksChange_Last23And25HoursAndHoldTheirEvents(string engine)
    {
        var (store, clock) = await StoreFixture.StoreAsync(engine, Local("Europe/Berlin", 2026, 3, 27, 12, 0));
        await store.SaveTenantAsync(new TenantSettings("acme", TimeZone: "Europe/Berlin", PriceBook: "test-book"));
        var bills = new BillingStore(store.Dialect, clock);
        await store.RecordAsync([
            Fee("spring-late", Local("Europe/Berlin", 2026, 3, 29, 23, 30)),
            Fee("autumn-early", Local("Europe/Berlin", 2026, 10, 25, 0, 30), calls: 2),
            Fee("autumn-late", Local("Europe/Berlin", 2026, 10, 25, 23, 30), calls: 4),
        ]);
        clock.Set(Local("Europe/Berlin", 2026, 10, 28, 0, 0));
        await bills.IssueDueAsync(Duration.FromDays(1));

        var spring = (await bills.GetAsync("acme", "2026-03-29"))!;
        var autumn = (await bills.GetAsync("acme", "2026-10-25"))!;
        Assert.Equal(TimeSpan.FromHours(23), spring.EndsAt - spring.StartsAt);
        Assert.Equal(TimeSpan.FromHours(25), autumn.EndsAt - autumn.StartsAt);
        Assert.Equal(1m, Assert.Single(spring.Units).Total);
        Assert.Equal((2L, 6m), (Assert.Single(autumn.Units).Events, autumn.Units[0].Total));
        Assert.Null(await bills.GetAsync("acme", "2026-10-26"));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task IssueThrough_OnDemand_IssuesClosedCyclesBeforeTheDelayButNotOpenOnes(string engine)
    {
        var (store, bills, clock) = await ShanghaiTenantAsync(engine);
        clock.Set(Local("Asia/Shanghai", 2026, 11, 20, 10, 0));
        await store.RecordAsync([Fee("a", Local("Asia/Shanghai", 2026, 11, 20, 9, 0), calls: 3)]);

        var open = await Assert.ThrowsAsync<LedgerException>(() => bills.IssueThroughAsync("acme", new LocalDate(2026, 11, 20)));
        Assert.Equal(BillingErrors.CycleOpen, open.Code);

        clock.Set(Local("Asia/Shanghai", 2026, 11, 21, 0, 5));
        var bill = await bills.IssueThroughAsync("acme", new LocalDate(2026, 11, 20));
        Assert.Equal(3m, Assert.Single(bill.Units).Total);
        Assert.Null(await bills.GetAsync("acme", "2026-11-19"));
        Assert.Equal(JsonSerializer.Serialize(bill), JsonSerializer.Serialize(await bills.IssueThroughAsync("acme", new LocalDate(2026, 11, 20))));
        Assert.Empty(await bills.IssueDueAsync(Duration.FromDays(1)));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Bill_MonthlyCycle_ListsLinesChannelsPaymentsAndPriceBook(string engine)
    {
        var (store, clock) = await StoreFixture.StoreAsync(engine, Local("UTC", 2026, 10, 31, 12, 0));
        await store.SaveTenantAsync(new TenantSettings("acme", PriceBook: "test-book", Cycle: BillingPeriod.Monthly));
        await store.TopUpAsync(new TopUp("acme", "t1", AccountKind.Recharge, "credits", 5m));
        await store.TopUpAsync(new TopUp("acme", "p1", AccountKind.ResourcePack, "credits", 1000m, ExpiresAt: Local("UTC", 2027, 1, 1, 0, 0)));
        clock.Set(Local("UTC", 2026, 11, 30, 12, 0));
        await store.RecordAsync([
            Fee("a", Local("UTC", 2026, 11, 2, 9, 0), calls: 6, channel: Channels.Editor),
            Fee("b", Local("UTC", 2026, 11, 3, 9, 0), calls: 1, channel: Channels.WebSdk),
            Events.Tokens("c", 2000, 1000) with { Time = Local("UTC", 2026, 11, 4, 9, 0).WithOffset(Offset.Zero) },
        ]);
        clock.Set(Local("UTC", 2026, 12, 2, 0, 0));
        await new BillingStore(store.Dialect, clock).IssueDueAsync(Duration.FromDays(1));
        var bill = (await new BillingStore(store.Dialect, clock).GetAsync("acme", "2026-11"))!;

        Assert.Equal((new DateOnly(2026, 11, 1), new DateOnly(2026, 12, 1)), (bill.Start, bill.End));
        Assert.Equal(["test-book@1"], bill.PriceBooks);
        var credits = Assert.Single(bill.Units);
        Assert.Equal((3L, 10m), (credits.Events, credits.Total));
        var tokens = Assert.Single(credits.Lines, l => l.Type == BillingTypes.LlmText);
        Assert.Equal((2000m, 1000m, 3m), (tokens.Quantities[Meters.InputTokens], tokens.Quantities[Meters.OutputTokens], tokens.Amount));
        Assert.Equal(7m, Assert.Single(credits.Lines, l => l.Type == BillingTypes.Tool).Quantities[Meters.Calls]);
        Assert.Equal([(Channels.Editor, 9m), (Channels.WebSdk, 1m)], credits.Channels.Select(c => (c.Channel, c.Amount)));
        // The pack pays tokens: its 1,000 tokens cover a third of the 3-credit call; the recharge pays 5; 4 are owed.
        Assert.Equal((1m, 4m), (credits.Covered, credits.Arrears));
        Assert.Equal(1000m, Assert.Single(credits.Paid, p => p.Kind == AccountKinds.ResourcePack).Amount);
        Assert.Equal(10m, credits.Paid.Sum(p => p.Covered));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task IssueDue_TwoIssuersAtOnce_IssueEachBillOnce(string engine)
    {
        var (store, bills, clock) = await ShanghaiTenantAsync(engine);
        for (var d = 0; d < 5; d++)
        {
            await store.RecordAsync([Fee($"e{d}", Local("Asia/Shanghai", 2026, 11, 19 + d, 12, 0), calls: d + 1)]);
        }

        clock.Set(Local("Asia/Shanghai", 2026, 11, 30, 0, 0));
        var other = new BillingStore(store.Dialect, clock);
        var runs = await Task.WhenAll(bills.IssueDueAsync(Duration.FromDays(1)), other.IssueDueAsync(Duration.FromDays(1)));
        Assert.Equal(5, runs.Sum(r => r.Count));
        Assert.Equal(15m, (await bills.BilledTotalsAsync("acme"))["credits"]);
    }
}
