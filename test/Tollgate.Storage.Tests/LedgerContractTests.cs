using NodaTime;
using Tollgate.Core.Events;
using Tollgate.Core.Funding;
using Tollgate.Core.Tenants;
using Tollgate.Storage.Ledger;

namespace Tollgate.Storage.Tests;

/// <summary>Idempotency, arrears, strict mode, holds and the consistency check, on both engines.</summary>
public sealed class LedgerContractTests
{
    private static async Task<(LedgerStore Store, TestClock Clock, long Recharge)> Funded(string engine, decimal credits, bool strict = false)
    {
        var (store, clock) = await StoreFixture.StoreAsync(engine);
        await store.SaveTenantAsync(new TenantSettings("acme", PriceBook: "test-book", Strict: strict));
        var recharge = await store.TopUpAsync(new TopUp("acme", "r1", AccountKind.Recharge, "credits", credits, Paid: credits / 100m));
        return (store, clock, recharge.AccountId);
    }

    private static async Task<AccountBalance> Account(LedgerStore store, long id) => (await store.GetBalancesAsync("acme")).Single(b => b.AccountId == id);

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Record_SameEventTwice_ChargedOnceAndOriginalResultReturned(string engine)
    {
        var (store, _, recharge) = await Funded(engine, 100m);

        var first = Assert.Single(await store.RecordAsync([Events.Fee("e1")]));
        var again = await store.RecordAsync([Events.Fee("e1"), Events.Fee("e1")]);

        Assert.False(first.Duplicate);
        Assert.All(again, r => Assert.True(r.Duplicate));
        Assert.All(again, r => Assert.Equal(first.Payments!.Single(), r.Payments!.Single()));
        Assert.Equal(90m, (await Account(store, recharge)).Posted);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Record_SameIdDifferentBody_IsIdempotencyConflict(string engine)
    {
        var (store, _, recharge) = await Funded(engine, 100m);
        await store.RecordAsync([Events.Fee("e1")]);

        var conflict = Assert.Single(await store.RecordAsync([Events.Fee("e1", calls: 2)]));

        Assert.Equal(LedgerErrors.IdempotencyConflict, conflict.Error?.Code);
        Assert.Equal(90m, (await Account(store, recharge)).Posted);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Record_UnknownTenantOrModel_RejectedAndNothingStored(string engine)
    {
        var (store, _, _) = await Funded(engine, 100m);

        var results = await store.RecordAsync([Events.Fee("x", tenant: "nobody"), Events.Fee("y", model: "nope")]);

        Assert.Equal([LedgerErrors.UnknownTenant, ErrorCodes.UnknownModel], results.Select(r => r.Error?.Code));
        Assert.Equal(1, (await store.CheckAsync()).Transfers); // only the top-up
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Record_NotEnoughBalance_RestGoesToArrearsAndNextTopUpSettlesIt(string engine)
    {
        var (store, _, recharge) = await Funded(engine, 4m);

        var result = Assert.Single(await store.RecordAsync([Events.Fee("e1")]));
        var arrears = (await store.GetBalancesAsync("acme")).Single(b => b.Kind == AccountKinds.Arrears);
        var topUp = await store.TopUpAsync(new TopUp("acme", "r2", AccountKind.Recharge, "credits", 10m));

        Assert.Equal((RecordResult.Charged, 6m), (result.Status, result.Arrears));
        Assert.Equal(-6m, arrears.Posted);
        Assert.Equal(6m, topUp.ArrearsSettled);
        Assert.Equal(4m, (await Account(store, recharge)).Posted);
        Assert.Equal(0m, (await store.GetBalancesAsync("acme")).Single(b => b.Kind == AccountKinds.Arrears).Posted);
        Assert.True((await store.CheckAsync()).Clean);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Record_StrictModeNotEnough_RejectedAndRecordedWithReason(string engine)
    {
        var (store, _, recharge) = await Funded(engine, 4m, strict: true);

        var result = Assert.Single(await store.RecordAsync([Events.Fee("e1")]));
        var repeat = Assert.Single(await store.RecordAsync([Events.Fee("e1")]));

        Assert.Equal((RecordResult.Rejected, LedgerErrors.InsufficientFunds), (result.Status, result.Error?.Code));
        Assert.True(repeat.Duplicate);
        Assert.Equal(RecordResult.Rejected, repeat.Status);
        Assert.Equal(4m, (await Account(store, recharge)).Posted);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Hold_SettleWithLess_CapturesUsageAndReleasesRest(string engine)
    {
        var (store, _, recharge) = await Funded(engine, 10m);

        var hold = await store.HoldAsync(new HoldRequest("acme", "h1", Duration.FromMinutes(5), Amount: 5m, Unit: "credits"));
        var refused = await store.HoldAsync(new HoldRequest("acme", "h2", Duration.FromMinutes(5), Amount: 6m, Unit: "credits"));
        var during = await Account(store, recharge);
        var settled = await store.SettleAsync("acme", "h1", Events.Tokens("call-1", 2_000m, 1_000m));
        var again = await store.SettleAsync("acme", "h1", Events.Tokens("call-1", 2_000m, 1_000m));
        var release = await store.ReleaseAsync("acme", "h1");

        Assert.Equal(HoldResult.Held, hold.Status);
        Assert.Equal((HoldResult.Refused, LedgerErrors.InsufficientFunds), (refused.Status, refused.Error?.Code));
        Assert.Equal((10m, 5m, 5m), (during.Posted, during.Held, during.Available));
        Assert.Equal((3m, 0m), (settled.Amount, settled.Arrears));
        Assert.True(again.Duplicate);
        Assert.Equal(LedgerErrors.HoldNotActive, release.Error?.Code);
        var after = await Account(store, recharge);
        Assert.Equal((7m, 0m, 7m), (after.Posted, after.Held, after.Available));
        Assert.True((await store.CheckAsync()).Clean);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Hold_SettleWithMore_ChargesExcessThroughFunding(string engine)
    {
        var (store, _, recharge) = await Funded(engine, 10m);
        await store.HoldAsync(new HoldRequest("acme", "h1", Duration.FromMinutes(5), Estimate: Events.Tokens("est", 1_000m, 1_000m)));

        var settled = await store.SettleAsync("acme", "h1", Events.Tokens("call-1", 3_000m, 2_000m));

        Assert.Equal(5m, settled.Amount);
        Assert.Equal(5m, settled.Payments!.Sum(p => p.Amount));
        Assert.Equal(5m, (await Account(store, recharge)).Posted);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Hold_ReleaseThenSettle_Refused(string engine)
    {
        var (store, _, recharge) = await Funded(engine, 10m);
        await store.HoldAsync(new HoldRequest("acme", "h1", Duration.FromMinutes(5), Amount: 8m, Unit: "credits"));

        var released = await store.ReleaseAsync("acme", "h1");
        var releasedAgain = await store.ReleaseAsync("acme", "h1");
        var settle = await store.SettleAsync("acme", "h1", Events.Fee("late"));

        Assert.Equal(HoldResult.Released, released.Status);
        Assert.Null(releasedAgain.Error);
        Assert.Equal(LedgerErrors.HoldNotActive, settle.Error?.Code);
        Assert.Equal(10m, (await Account(store, recharge)).Available);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Sweep_AfterTimeout_ExpiresHoldAndExpiredBonus(string engine)
    {
        var (store, clock, recharge) = await Funded(engine, 10m);
        var bonus = await store.TopUpAsync(new TopUp("acme", "g1", AccountKind.Bonus, "credits", 3m, ExpiresAt: clock.GetCurrentInstant() + Duration.FromHours(1)));
        await store.HoldAsync(new HoldRequest("acme", "h1", Duration.FromMinutes(5), Amount: 8m, Unit: "credits"));

        Assert.Equal(0, await store.SweepAsync());
        clock.Advance(Duration.FromMinutes(5));
        Assert.Equal(1, await store.SweepAsync());
        Assert.Equal(HoldResult.Expired, (await store.GetHoldAsync("acme", "h1")).Status);
        clock.Advance(Duration.FromHours(1));
        Assert.Equal(1, await store.SweepAsync());

        Assert.Equal(10m, (await Account(store, recharge)).Available);
        Assert.Equal(0m, (await Account(store, bonus.AccountId)).Posted);
        Assert.True((await store.CheckAsync()).Clean);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Overdraft_AllowsGoingBelowZeroToLimitOnly(string engine)
    {
        var (store, _) = await StoreFixture.StoreAsync(engine);
        await store.SaveTenantAsync(new TenantSettings("acme", PriceBook: "test-book"));
        var account = await store.OpenAccountAsync(new OpenAccount("acme", AccountKind.Recharge, "credits", Overdraft: 15m));

        var results = await store.RecordAsync([Events.Fee("a"), Events.Fee("b")]);

        Assert.Equal(0m, results[0].Arrears);
        Assert.Equal(5m, results[1].Arrears);
        Assert.Equal(-15m, (await Account(store, account)).Posted);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task TopUp_Repeated_IsIdempotentAndCumulativeRechargeCountsOnce(string engine)
    {
        var (store, _, recharge) = await Funded(engine, 1000m);

        var again = await store.TopUpAsync(new TopUp("acme", "r1", AccountKind.Recharge, "credits", 1000m, Paid: 10m));

        Assert.True(again.Duplicate);
        Assert.Equal(1000m, (await Account(store, recharge)).Posted);
        Assert.Equal(10m, await store.GetCumulativeRechargeAsync("acme"));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Check_TamperedBalance_IsReported(string engine)
    {
        var (store, _, recharge) = await Funded(engine, 10m);
        await using (var connection = await store.Dialect.OpenAsync(default))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"UPDATE accounts SET posted = posted + 1 WHERE account_id = {recharge}";
            await command.ExecuteNonQueryAsync();
        }

        var report = await store.CheckAsync();

        Assert.Contains(report.Problems, p => p.Contains($"acme/{recharge}: posted 10.00000001 but transfers give 10", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.Contains("credits balances sum to 0.00000001, not zero", StringComparison.Ordinal));
    }
}
