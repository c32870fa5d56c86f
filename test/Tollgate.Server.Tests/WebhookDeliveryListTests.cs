using NodaTime;
using Tollgate.Client.Contracts;

namespace Tollgate.Server.Tests;

/// <summary>
/// Regression: on SQLite, listing a webhook's deliveries answered 500 while a delivery had no answer yet (never
/// attempted, or its receiver unreachable): the NULL last_status came back without a type Dapper could map.
/// </summary>
public sealed class WebhookDeliveryListTests
{
    [Theory]
    [MemberData(nameof(TestServer.Engines), MemberType = typeof(TestServer))]
    public async Task ListDeliveries_DeliveryWithoutAnAnswer_IsListedWithoutLastStatus(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        await Samples.FundedTenantAsync(server, "acme");
        var hook = await server.Operator.CreateWebhookAsync(new WebhookRequest("http://127.0.0.1:9/unreachable", "acme", ["bill_issued"]));
        await server.Operator.RecordAsync(Samples.Llm("e1", "acme"));
        server.Clock.Set(Instant.FromUtc(2026, 1, 1, 16, 0, 1));
        await server.Operator.IssueBillAsync("acme", new IssueBillRequest(new DateOnly(2026, 1, 1)));

        var delivery = Assert.Single((await server.Operator.ListDeliveriesAsync(hook.Id)).Deliveries);

        Assert.Equal("bill_issued:2026-01-01", delivery.AlertId);
        Assert.Null(delivery.LastStatus);
        Assert.Equal(delivery.Id, (await server.Operator.ReplayDeliveryAsync(hook.Id, delivery.Id)).Id);
    }
}
