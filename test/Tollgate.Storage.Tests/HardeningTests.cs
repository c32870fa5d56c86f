using NodaTime;
using Tollgate.Core.Events;
using Tollgate.Core.Funding;
using Tollgate.Core.Tenants;
using Tollgate.Storage.Alerts;
using Tollgate.Storage.Billing;
using Tollgate.Storage.Ledger;

namespace Tollgate.Storage.Tests;

/// <summary>Issue 11, items 3, 8 and 11: strict settles, racing adjustments, deliveries, hold edges, grants.</summary>
public sealed class HardeningTests
{
    private static async Task<(LedgerStore Store, TestClock Clock, long Recharge)> FundedAsync(string engine, decimal credits, bool strict = false)
    {
        var (store, clock) = await StoreFixture.StoreAsync(engine);
        await store.SaveTenantAsync(new TenantSettings("acme", PriceBook: "test-book", Strict: strict));
        var recharge = await store.TopUpAsync(new TopUp("acme", "r1", AccountKind.Recharge, "credits", credits));
        return (store, clock, recharge.AccountId);
    }

    private static HoldRequest Hold(string id, decimal amount, int minutes = 5) =>
        new("acme", id, Duration.FromMinutes(minutes), Amount: amount, Unit: "credits");

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Settle_StrictTenantBeyondHoldAndBalances_ChargesWhatIsCoveredAndRecordsTheRestAsUncollected(string engine)
    {
        var (store, clock, recharge) = await FundedAsync(engine, 10m, strict: true);
        await store.HoldAsync(Hold("h", 1m));

        var settled = await store.SettleAsync("acme", "h", Events.Fee("s", model: "one", calls: 44));

        Assert.Equal((RecordResult.Charged, 44m, 0m, 34m), (settled.Status, settled.Amount, settled.Arrears, settled.Uncollected));
        var balances = await store.GetBalancesAsync("acme");
        Assert.Equal(0m, balances.Single(b => b.AccountId == recharge).Available);
        Assert.DoesNotContain(balances, b => b.Kind == AccountKinds.Arrears && b.Posted != 0m);
        Assert.True((await store.CheckAsync()).Clean);
        var again = await store.SettleAsync("acme", "h", Events.Fee("s", model: "one", calls: 44));
        Assert.Equal((true, 34m), (again.Duplicate, again.Uncollected));
        var alert = Assert.Single(await new AlertStore(store.Dialect, clock).ListAlertsAsync("acme"));
        Assert.Equal(AlertKinds.Uncollected, alert.Kind);
        Assert.Contains("\"amount\":34", alert.Body, StringComparison.Ordinal);

        clock.Set(Instant.FromUtc(2025, 3, 3, 0, 0));
        var bill = await new BillingStore(store.Dialect, clock).IssueThroughAsync("acme", new LocalDate(2025, 3, 1));
        var section = Assert.Single(bill.Units);
        Assert.Equal((44m, 0m, 34m), (section.Total, section.Arrears, section.Uncollected));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Settle_PlainTenantBeyondHoldAndBalances_StillOwesArrears(string engine)
    {
        var (store, _, _) = await FundedAsync(engine, 10m);
        await store.HoldAsync(Hold("h", 1m));

        var settled = await store.SettleAsync("acme", "h", Events.Fee("s", model: "one", calls: 44));

        Assert.Equal((34m, 0m), (settled.Arrears, settled.Uncollected));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Adjust_NegativePastWhatEventsLeft_IsInsufficientFundsNotABug(string engine)
    {
        var (store, _, recharge) = await FundedAsync(engine, 10m);
        await store.RecordAsync([Events.Fee("e", model: "one", calls: 8)]); // spent after the caller looked at the balance

        var refused = await Assert.ThrowsAsync<LedgerException>(() => store.AdjustAsync("acme", recharge, -5m, "ops", "correction"));

        Assert.Equal((LedgerErrors.InsufficientFunds, "amount"), (refused.Code, refused.Field));
        Assert.Equal(2m, (await store.GetBalancesAsync("acme")).Single().Available);
        Assert.True((await store.CheckAsync()).Clean);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task ListDeliveries_NewestHasNoHttpStatusYet_ReadsAll(string engine)
    {
        var (store, clock) = await StoreFixture.StoreAsync(engine);
        var alerts = new AlertStore(store.Dialect, clock);
        var (hook, _) = await alerts.CreateWebhookAsync("acme", "https://example.com/hook", []);
        await alerts.SetConditionAsync("acme", "first", true, AlertKinds.LowBalance, new { });
        var first = Assert.Single(await alerts.ClaimDueAsync(Duration.FromMinutes(1)));
        await alerts.RecordAttemptAsync(first.DeliveryId, 500, "server error");
        clock.Advance(Duration.FromSeconds(1));
        await alerts.SetConditionAsync("acme", "second", true, AlertKinds.LowBalance, new { });

        var deliveries = await alerts.ListDeliveriesAsync(hook.WebhookId);

        Assert.Equal([null, 500L], deliveries.Select(d => d.LastStatus));
        Assert.Null((await alerts.GetDeliveryAsync(deliveries[0].DeliveryId))!.LastStatus);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Settle_HoldPastItsTimeoutBeforeTheSweeper_IsHoldExpiredAndChargesNothing(string engine)
    {
        var (store, clock, recharge) = await FundedAsync(engine, 10m);
        await store.HoldAsync(Hold("h", 5m, minutes: 1));
        clock.Advance(Duration.FromMinutes(2));

        var settled = await store.SettleAsync("acme", "h", Events.Fee("s", model: "one", calls: 3));

        Assert.Equal((RecordResult.Rejected, LedgerErrors.HoldExpired), (settled.Status, settled.Error?.Code));
        await store.SweepAsync();
        Assert.Equal(10m, (await store.GetBalancesAsync("acme")).Single(b => b.AccountId == recharge).Available);
        Assert.Null(await store.GetEventAsync("acme", "s"));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Hold_SameIdAnotherAmount_IsIdempotencyConflict(string engine)
    {
        var (store, _, _) = await FundedAsync(engine, 10m);
        await store.HoldAsync(Hold("h", 2m));

        var again = await store.HoldAsync(Hold("h", 2m));
        var other = await store.HoldAsync(Hold("h", 3m));

        Assert.Equal((HoldResult.Held, null), (again.Status, again.Error?.Code));
        Assert.Equal(LedgerErrors.IdempotencyConflict, other.Error?.Code);
        Assert.Equal(8m, (await store.GetBalancesAsync("acme")).Single().Available);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Hold_AmountAndEstimate_IsRefusedAsInvalid(string engine)
    {
        var (store, _, _) = await FundedAsync(engine, 10m);

        var both = await store.HoldAsync(Hold("h", 2m) with { Estimate = Events.Fee("est", model: "one") });

        Assert.Equal((HoldResult.Refused, ErrorCodes.InvalidField, "amount"), (both.Status, both.Error?.Code, both.Error?.Field));
        Assert.Equal(10m, (await store.GetBalancesAsync("acme")).Single().Available);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task TopUp_GrantExpiringBeforeItIsGiven_IsRefusedAsInvalid(string engine)
    {
        var (store, clock, _) = await FundedAsync(engine, 10m);

        var refused = await Assert.ThrowsAsync<LedgerException>(() => store.TopUpAsync(
            new TopUp("acme", "g", AccountKind.Bonus, "credits", 5m, ExpiresAt: clock.GetCurrentInstant() - Duration.FromMinutes(1))));

        Assert.Equal((ErrorCodes.InvalidField, "expires_at"), (refused.Code, refused.Field));
        Assert.Single(await store.GetBalancesAsync("acme"));
    }
}
