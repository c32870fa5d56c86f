using Dapper;
using NodaTime;
using Tollgate.Core.Funding;
using Tollgate.Core.Tenants;
using Tollgate.Storage.Ledger;

namespace Tollgate.Storage.Tests;

/// <summary>
/// A settled hold names its event and keeps no second copy of the answer (migration 036); a repeated settlement
/// answers the first one's answer from the event, and holds settled before the migration still answer from their copy.
/// </summary>
public sealed class SettledHoldTests
{
    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Settle_Repeated_AnswersTheFirstAnswerFromTheEventAndTheHoldKeepsOnlyItsId(string engine)
    {
        var store = await HeldAsync(engine);
        var first = await store.SettleAsync("acme", "h1", Events.Fee("s1", calls: 3));

        var again = await store.SettleAsync("acme", "h1", Events.Fee("s1", calls: 3));

        Assert.Equal(RecordResult.Charged, first.Status);
        Assert.True(again.Duplicate);
        Assert.Equal(Write(first), Write(again with { Duplicate = false }));
        await using var connection = await store.Dialect.OpenAsync(CancellationToken.None);
        var row = await connection.QuerySingleAsync<(string? Result, string? SettledBy, string Status)>(
            "SELECT result, settled_by, status FROM holds WHERE tenant_id = 'acme' AND hold_id = 'h1'");
        Assert.Equal((null, "s1", HoldResult.Settled), row);
        Assert.Equal(RecordResult.Charged, await connection.QuerySingleAsync<string>("SELECT status FROM events WHERE tenant_id = 'acme' AND event_id = 's1'"));
        Assert.True((await store.CheckAsync()).Clean);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Settle_RepeatedOnAHoldSettledBeforeTheMigration_AnswersFromItsOwnCopy(string engine)
    {
        var store = await HeldAsync(engine);
        var first = await store.SettleAsync("acme", "h1", Events.Fee("s1", calls: 3));
        await using (var connection = await store.Dialect.OpenAsync(CancellationToken.None))
        {
            // As versions before 036 left it: the answer copied to the hold, no event named.
            await connection.ExecuteAsync("UPDATE holds SET result = @answer, settled_by = NULL WHERE tenant_id = 'acme' AND hold_id = 'h1'", new { answer = Write(first) });
        }

        var again = await store.SettleAsync("acme", "h1", Events.Fee("s1", calls: 3));
        var other = await store.SettleAsync("acme", "h1", Events.Fee("s2", calls: 3));

        Assert.True(again.Duplicate);
        Assert.Equal(Write(first), Write(again with { Duplicate = false }));
        Assert.Equal(LedgerErrors.HoldNotActive, other.Error?.Code);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Settle_WithAnEventIdRecordedBefore_IsAConflictAndChangesNothing(string engine)
    {
        var store = await HeldAsync(engine);
        await store.RecordAsync([Events.Fee("taken", calls: 1)]);
        var before = await store.GetBalancesAsync("acme");

        var settled = await store.SettleAsync("acme", "h1", Events.Fee("taken", calls: 3));

        Assert.Equal(LedgerErrors.IdempotencyConflict, settled.Error?.Code);
        Assert.Equal(before, await store.GetBalancesAsync("acme"));
        Assert.Equal(HoldResult.Held, (await store.GetHoldAsync("acme", "h1")).Status);
        Assert.True((await store.CheckAsync()).Clean);
    }

    private static async Task<LedgerStore> HeldAsync(string engine)
    {
        var (store, _) = await StoreFixture.StoreAsync(engine);
        await store.SaveTenantAsync(new TenantSettings("acme", PriceBook: "test-book"));
        await store.TopUpAsync(new TopUp("acme", "r1", AccountKind.Recharge, "credits", 100m));
        var hold = await store.HoldAsync(new HoldRequest("acme", "h1", Duration.FromMinutes(5), Amount: 5m, Unit: "credits"));
        Assert.Equal(HoldResult.Held, hold.Status);
        return store;
    }

    private static string Write(RecordResult result) => StoredAnswer.WriteUtf8(result, eventId: null).ToString(); // as a hold kept its copy
}
