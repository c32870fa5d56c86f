using NodaTime;
using Tollgate.Storage.Alerts;

namespace Tollgate.Storage.Tests;

/// <summary>Claiming due webhook deliveries is fair across tenants: one tenant's backlog does not hold back another's.</summary>
public sealed class WebhookClaimTests
{
    private static readonly Duration Lease = Duration.FromMinutes(1);

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task ClaimDue_OneTenantsBacklog_TakesTenantsInTurnsAndCapsEachTenant(string engine)
    {
        var (store, clock) = await StoreFixture.StoreAsync(engine);
        var alerts = new AlertStore(store.Dialect, clock);
        for (var i = 0; i < 10; i++)
        {
            await alerts.CreateWebhookAsync("a", $"http://a.example/{i}", []);
        }

        await alerts.CreateWebhookAsync("b", "http://b.example/", []);
        await alerts.SetConditionAsync("a", "low", true, AlertKinds.LowBalance, new { });
        clock.Advance(Duration.FromSeconds(1));
        await alerts.SetConditionAsync("b", "low", true, AlertKinds.LowBalance, new { });
        clock.Advance(Duration.FromSeconds(1));

        // b's delivery is the newest of eleven, yet it is the second taken: tenants take turns.
        var first = await alerts.ClaimDueAsync(Lease, limit: 3, perTenant: 2);
        Assert.Equal(["a", "b", "a"], first.Select(d => d.Tenant));

        // a has two attempts in flight already: none more for it, though eight are due.
        Assert.Empty(await alerts.ClaimDueAsync(Lease, limit: 10, perTenant: 2, busy: new Dictionary<string, int> { ["a"] = 2 }));
        var next = await alerts.ClaimDueAsync(Lease, limit: 10, perTenant: 2, busy: new Dictionary<string, int> { ["a"] = 1 });
        Assert.Equal(["a"], next.Select(d => d.Tenant));

        // Claimed deliveries are leased: not claimed again before the lease ends.
        Assert.Equal(7, (await alerts.ClaimDueAsync(Lease, limit: 50, perTenant: 50)).Count);
        Assert.Empty(await alerts.ClaimDueAsync(Lease, limit: 50, perTenant: 50));
    }
}
