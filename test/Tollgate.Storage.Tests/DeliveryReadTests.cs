using Tollgate.Core.Funding;
using Tollgate.Core.Tenants;
using Tollgate.Storage.Alerts;
using Tollgate.Storage.Ledger;

namespace Tollgate.Storage.Tests;

/// <summary>Reading webhook deliveries back: a pending delivery has no last status yet (NULL), which SQLite reported as a blob column.</summary>
public sealed class DeliveryReadTests
{
    [Theory]
    [ClassData(typeof(Engines))]
    public async Task ListDeliveries_PendingDeliveryWithoutAnswer_IsRead(string engine)
    {
        var (store, clock) = await StoreFixture.StoreAsync(engine);
        await store.SaveTenantAsync(new TenantSettings("acme", PriceBook: "test-book", LowBalance: new Dictionary<string, decimal> { ["credits"] = 5m }));
        await store.TopUpAsync(new TopUp("acme", "t1", AccountKind.Recharge, "credits", 1m));
        var alerts = new AlertStore(store.Dialect, clock);
        var (webhook, _) = await alerts.CreateWebhookAsync("acme", "http://127.0.0.1:9/hook", []);
        Assert.Equal(1, await new AlertMonitor(store, alerts).CheckAsync());

        var delivery = Assert.Single(await alerts.ListDeliveriesAsync(webhook.WebhookId));
        Assert.Equal(Delivery.Pending, delivery.Status);
        Assert.Null(delivery.LastStatus);
        Assert.Equal(0, delivery.Attempts);
        Assert.Equal(delivery, await alerts.GetDeliveryAsync(delivery.DeliveryId));
    }
}
