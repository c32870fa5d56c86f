using NodaTime;
using Tollgate.Core.Events;
using Tollgate.Core.Funding;
using Tollgate.Core.Tenants;
using Tollgate.Storage.Ledger;

namespace Tollgate.Storage.Tests;

/// <summary>The console's request log: every filter in SQL, newest first, keyset pages by (event time, event id).</summary>
public sealed class EventLogTests
{
    [Theory]
    [ClassData(typeof(Engines))]
    public async Task ListEvents_ChannelFilterAndSmallPages_WalksNewestFirstWithoutGapsOrRepeats(string engine)
    {
        var (store, clock) = await StoreFixture.StoreAsync(engine, Instant.FromUtc(2026, 3, 1, 8, 0));
        await store.SaveTenantAsync(new TenantSettings("acme", PriceBook: "test-book"));
        await store.TopUpAsync(new TopUp("acme", "t1", AccountKind.Recharge, "credits", 100m));
        var start = clock.GetCurrentInstant() - Duration.FromHours(10);
        // Two events share each time so the page break falls inside a tie, which the event id must settle.
        await store.RecordAsync([.. Enumerable.Range(0, 10).Select(i => BillingTests.Fee($"e{i}", start + Duration.FromHours(i / 2), channel: i % 3 == 0 ? Channels.Api : Channels.Editor))]);

        var seen = new List<string>();
        EventCursor? cursor = null;
        do
        {
            var page = await store.ListEventsAsync("acme", new EventFilter(Status: "charged", Model: "one", Channel: Channels.Editor), cursor, 2);
            Assert.True(page.Events.Count <= 2);
            seen.AddRange(page.Events.Select(e => e.EventId));
            cursor = page.Next;
        }
        while (cursor is not null);

        Assert.Equal(["e8", "e7", "e5", "e4", "e2", "e1"], seen);
        Assert.Empty((await store.ListEventsAsync("acme", new EventFilter(Channel: "nowhere"), null, 50)).Events);
        Assert.Equal(10, (await store.ListEventsAsync("acme", new EventFilter(), null, 50)).Events.Count);
    }
}
