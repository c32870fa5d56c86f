using System.Diagnostics;
using System.Net;
using Tollgate.Client;
using Tollgate.Client.Contracts;

namespace Tollgate.Server.Tests;

/// <summary>
/// Webhooks cannot be turned against the server's own network (issue 11, item 4), and one tenant's slow receivers
/// do not delay another tenant's deliveries (item 5).
/// </summary>
public sealed class WebhookSecurityTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task ManageWebhooks_ReadOnlyTenantKey_Gets403AndARecordingKeyMayCreate()
    {
        await using var server = await TestServer.StartAsync();
        await Samples.FundedTenantAsync(server, "acme");
        var hook = await server.Operator.CreateWebhookAsync(new WebhookRequest("https://example.com/hook", "acme"));
        var reader = server.ClientFor((await server.Operator.CreateKeyAsync(new KeyRequest("dashboard", "acme"))).Secret);

        await AssertForbiddenAsync(() => reader.CreateWebhookAsync(new WebhookRequest("https://example.com/mine")));
        await AssertForbiddenAsync(() => reader.DeleteWebhookAsync(hook.Id));
        await AssertForbiddenAsync(() => reader.ReplayDeliveryAsync(hook.Id, "dlv_any"));
        Assert.Equal([hook.Id], (await reader.ListWebhooksAsync()).Webhooks.Select(w => w.Id));

        var writer = server.ClientFor((await server.Operator.CreateKeyAsync(new KeyRequest("backend", "acme", CanRecord: true))).Secret);
        Assert.Equal("acme", (await writer.CreateWebhookAsync(new WebhookRequest("https://example.com/mine"))).Tenant);
    }

    [Theory]
    [InlineData("http://user:secret@example.com/hook")]
    [InlineData("https://token@example.com/hook")]
    [InlineData("ftp://example.com/hook")]
    [InlineData("file:///etc/passwd")]
    public async Task CreateWebhook_UserInfoOrOtherScheme_Gets400NamingTheUrl(string url)
    {
        await using var server = await TestServer.StartAsync();
        await Samples.FundedTenantAsync(server, "acme");
        var refused = await Assert.ThrowsAsync<TollgateException>(() => server.Operator.CreateWebhookAsync(new WebhookRequest(url, "acme")));
        Assert.Equal((HttpStatusCode.BadRequest, "url"), (refused.Status, refused.Problem?.Field));
    }

    [Theory]
    [InlineData("127.0.0.1", TestServer.Sqlite)]
    [InlineData("127.0.0.1", TestServer.Postgres)]
    [InlineData("[::1]", TestServer.Sqlite)]
    [InlineData("2130706433", TestServer.Sqlite)]
    [InlineData("0x7f.1", TestServer.Sqlite)]
    [InlineData("0.0.0.0", TestServer.Sqlite)]
    [InlineData("[::ffff:127.0.0.1]", TestServer.Sqlite)]
    [InlineData("localhost", TestServer.Sqlite)]
    [InlineData("169.254.169.254", TestServer.Sqlite)]
    public async Task Deliver_PrivateTargetWithoutTheOption_FailsWithAGenericErrorAndReachesNothing(string host, string engine)
    {
        await using var listener = await WebhookListener.StartAsync();
        await using var server = await TestServer.StartAsync(engine);
        await server.Operator.CreateTenantAsync(new TenantRequest("acme"));
        var hook = await server.Operator.CreateWebhookAsync(new WebhookRequest(listener.Url("/fast", host), "acme"));
        await RaiseAlertAsync(server, "acme");

        var delivery = await AttemptedAsync(server, hook.Id);
        Assert.Equal(("pending", null, "connection refused by policy"), (delivery.Status, delivery.LastStatus, delivery.LastError));
        await Task.Delay(300);
        Assert.Empty(listener.Requests);
    }

    [Fact]
    public async Task Deliver_LocalhostWithTheOption_ReachesTheListener()
    {
        await using var listener = await WebhookListener.StartAsync();
        await using var server = await TestServer.StartAsync(configure: o => o with { WebhooksAllowPrivate = true });
        await server.Operator.CreateTenantAsync(new TenantRequest("acme"));
        var hook = await server.Operator.CreateWebhookAsync(new WebhookRequest(listener.Url("/fast", "localhost"), "acme"));
        await RaiseAlertAsync(server, "acme");

        var delivery = await AttemptedAsync(server, hook.Id);
        Assert.Equal(("delivered", 200L), (delivery.Status, delivery.LastStatus));
        Assert.Equal(["/fast"], listener.Requests);
    }

    [Fact]
    public async Task Deliver_TargetAnswers302_IsAFailedAttemptAndTheRedirectIsNotFollowed()
    {
        await using var listener = await WebhookListener.StartAsync();
        await using var server = await TestServer.StartAsync(configure: o => o with { WebhooksAllowPrivate = true });
        await server.Operator.CreateTenantAsync(new TenantRequest("acme"));
        var hook = await server.Operator.CreateWebhookAsync(new WebhookRequest(listener.Url("/redirect"), "acme"));
        await RaiseAlertAsync(server, "acme");

        var delivery = await AttemptedAsync(server, hook.Id);
        Assert.Equal(("pending", 302L, "http 302"), (delivery.Status, delivery.LastStatus, delivery.LastError));
        await Task.Delay(300);
        Assert.Equal(["/redirect"], listener.Requests);
    }

    [Fact]
    public async Task Deliver_SlowerThanTheTimeout_FailsWithTimeout()
    {
        await using var listener = await WebhookListener.StartAsync();
        await using var server = await TestServer.StartAsync(configure: o => o with { WebhooksAllowPrivate = true, WebhookTimeout = TimeSpan.FromSeconds(1) });
        await server.Operator.CreateTenantAsync(new TenantRequest("acme"));
        var hook = await server.Operator.CreateWebhookAsync(new WebhookRequest(listener.Url("/slow"), "acme"));
        await RaiseAlertAsync(server, "acme");

        var delivery = await AttemptedAsync(server, hook.Id);
        Assert.Equal(("pending", null, "timeout"), (delivery.Status, delivery.LastStatus, delivery.LastError));
    }

    [Fact]
    public async Task Deliver_NothingListening_FailsWithAGenericConnectionError()
    {
        await using var server = await TestServer.StartAsync(configure: o => o with { WebhooksAllowPrivate = true });
        await server.Operator.CreateTenantAsync(new TenantRequest("acme"));
        int port;
        await using (var closed = await WebhookListener.StartAsync())
        {
            port = closed.Port;
        }

        var hook = await server.Operator.CreateWebhookAsync(new WebhookRequest($"http://127.0.0.1:{port}/fast", "acme"));
        await RaiseAlertAsync(server, "acme");

        var delivery = await AttemptedAsync(server, hook.Id);
        Assert.Equal(("pending", "connection failed"), (delivery.Status, delivery.LastError));
    }

    [Fact]
    public async Task Deliver_FiftySlowWebhooksOfOneTenant_DoNotDelayAnotherTenantsFirstDelivery()
    {
        await using var listener = await WebhookListener.StartAsync();
        await using var server = await TestServer.StartAsync(configure: o => o with { WebhooksAllowPrivate = true });
        await server.Operator.CreateTenantAsync(new TenantRequest("noisy"));
        await server.Operator.CreateTenantAsync(new TenantRequest("quiet"));
        for (var i = 0; i < 50; i++)
        {
            await server.Operator.CreateWebhookAsync(new WebhookRequest(listener.Url("/slow"), "noisy"));
        }

        await server.Operator.CreateWebhookAsync(new WebhookRequest(listener.Url("/fast"), "quiet"));
        await RaiseAlertAsync(server, "noisy");
        await listener.WaitForAsync("/slow", 4, Patience);

        var waited = Stopwatch.StartNew();
        await RaiseAlertAsync(server, "quiet");
        await listener.WaitForAsync("/fast", 1, TimeSpan.FromSeconds(5));
        Assert.True(waited.Elapsed < TimeSpan.FromSeconds(5), $"the quiet tenant's delivery took {waited.Elapsed}");

        // The noisy tenant has only its four attempts in flight, each waiting for its timeout.
        Assert.Equal(4, listener.Count("/slow"));
    }

    private static async Task AssertForbiddenAsync(Func<Task> call) =>
        Assert.Equal(HttpStatusCode.Forbidden, (await Assert.ThrowsAsync<TollgateException>(call)).Status);

    /// <summary>A low_balance alert for an unfunded tenant, raised by the server's own monitor on its next sweep.</summary>
    private static Task RaiseAlertAsync(TestServer server, string tenant) =>
        server.Operator.UpdateTenantAsync(tenant, new TenantRequest(LowBalance: new Dictionary<string, decimal> { ["credits"] = 1m }));

    /// <summary>The webhook's delivery once it has been attempted.</summary>
    private static async Task<Delivery> AttemptedAsync(TestServer server, string webhookId)
    {
        var until = DateTime.UtcNow + Patience;
        while (true)
        {
            if ((await server.Operator.ListDeliveriesAsync(webhookId)).Deliveries is [{ Attempts: > 0 } delivery])
            {
                return delivery;
            }

            Assert.True(DateTime.UtcNow < until, "the delivery was not attempted");
            await Task.Delay(50);
        }
    }
}
