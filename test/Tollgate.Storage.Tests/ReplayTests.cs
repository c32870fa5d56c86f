using Tollgate.Core.Events;
using Tollgate.Core.Funding;
using Tollgate.Core.Tenants;
using Tollgate.Storage.Ledger;

namespace Tollgate.Storage.Tests;

/// <summary>At-least-once delivery: every event sent three times, shuffled, gives the balances of sending each once.</summary>
public sealed class ReplayTests
{
    private const int EventCount = 10_000;
    private const int BatchSize = 500;

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Record_StreamSentThreeTimesShuffled_SameBalancesAsOnce(string engine)
    {
        var events = Stream(EventCount);
        var once = await Balances(engine, events);

        var random = new Random(20251123);
        var tripled = events.Concat(events).Concat(events).OrderBy(_ => random.Next()).ToList();
        var thrice = await Balances(engine, tripled);

        Assert.Equal(once, thrice);
    }

    private static List<UsageEvent> Stream(int count)
    {
        var random = new Random(7);
        return [.. Enumerable.Range(0, count).Select(i => Events.Tokens($"e{i}", random.Next(0, 8_000), random.Next(0, 1_000), tenant: $"t{i % 5}"))];
    }

    private static async Task<string> Balances(string engine, List<UsageEvent> events)
    {
        var (store, _) = await StoreFixture.StoreAsync(engine);
        for (var t = 0; t < 5; t++)
        {
            await store.SaveTenantAsync(new TenantSettings($"t{t}", PriceBook: "test-book"));
            await store.TopUpAsync(new TopUp($"t{t}", "r", AccountKind.Recharge, "credits", 5_000m));
            await store.TopUpAsync(new TopUp($"t{t}", "b", AccountKind.Bonus, "credits", 3_000m));
        }

        foreach (var batch in events.Chunk(BatchSize))
        {
            var results = await store.RecordAsync(batch);
            Assert.All(results, r => Assert.Equal(RecordResult.Charged, r.Status));
        }

        Assert.True((await store.CheckAsync()).Clean);
        var lines = new List<string>();
        for (var t = 0; t < 5; t++)
        {
            lines.AddRange((await store.GetBalancesAsync($"t{t}")).Select(b => $"t{t} {b.Kind} {b.Unit} {b.Posted} {b.Held}"));
        }

        return string.Join('\n', lines);
    }
}
