using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using NodaTime;
using Tollgate.Client;
using Tollgate.Client.Contracts;
using Tollgate.Client.Webhooks;

namespace Tollgate.Server.Tests;

/// <summary>Bills, usage and webhooks through the HTTP API, with the server's own background job on the test clock.</summary>
public sealed class BillingApiTests
{
    /// <summary>2026-01-03 00:00 in Shanghai: the bill of 2026-01-01 (the samples' day) is due.</summary>
    private static readonly Instant BillOfJan1Due = Instant.FromUtc(2026, 1, 2, 16, 0);

    [Theory]
    [MemberData(nameof(TestServer.Engines), MemberType = typeof(TestServer))]
    public async Task Webhook_FailingTwice_ReceivesTheBillIssuedAlertOnceWithAValidSignature(string engine)
    {
        await using var receiver = await Receiver.StartAsync(failFirst: 2);
        await using var server = await TestServer.StartAsync(engine, o => o with { WebhooksAllowPrivate = true });
        await Samples.FundedTenantAsync(server, "acme");
        var hook = await server.Operator.CreateWebhookAsync(new WebhookRequest(receiver.Url, "acme", ["bill_issued"]));
        await server.Operator.RecordAsync(Samples.Llm("e1", "acme"));

        server.Clock.Set(BillOfJan1Due - Duration.FromMinutes(1));
        await Task.Delay(600);
        Assert.Empty(receiver.Requests);

        server.Clock.Set(BillOfJan1Due);
        await receiver.WaitForAsync(1);
        await AttemptsRecordedAsync(server, hook.Id, 1);
        server.Clock.Advance(AlertBackoff(1));
        await receiver.WaitForAsync(2);
        await AttemptsRecordedAsync(server, hook.Id, 2);
        server.Clock.Advance(AlertBackoff(2));
        await receiver.WaitForAsync(3);
        server.Clock.Advance(Duration.FromHours(2));
        await Task.Delay(600);

        Assert.Equal([500, 500, 200], receiver.Requests.Select(r => r.Answered));
        Assert.Single(receiver.Requests.Select(r => r.Delivery).Distinct());
        var delivered = receiver.Requests[2];
        Assert.True(WebhookSignature.Verify(hook.Secret!, delivered.Timestamp, delivered.Body, delivered.Signature, server.Clock.GetCurrentInstant().ToDateTimeOffset(), TimeSpan.FromHours(3)));
        Assert.False(WebhookSignature.Verify("whsec_wrong", delivered.Timestamp, delivered.Body, delivered.Signature, server.Clock.GetCurrentInstant().ToDateTimeOffset(), TimeSpan.FromHours(3)));
        Assert.Contains("\"bill_id\":\"2026-01-01\"", delivered.Body, StringComparison.Ordinal);

        var delivery = Assert.Single((await server.Operator.ListDeliveriesAsync(hook.Id)).Deliveries);
        Assert.Equal(("delivered", 3L, 200L), (delivery.Status, delivery.Attempts, delivery.LastStatus));

        var replayed = await server.Operator.ReplayDeliveryAsync(hook.Id, delivery.Id);
        Assert.Equal("pending", replayed.Status);
        await receiver.WaitForAsync(4);
        Assert.Equal(delivered.Body, receiver.Requests[3].Body);
    }

    [Theory]
    [MemberData(nameof(TestServer.Engines), MemberType = typeof(TestServer))]
    public async Task BillsAndUsage_ThroughTheApi_ListExportAndAnswerInTheTenantsZone(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        await Samples.FundedTenantAsync(server, "acme");
        server.Clock.Set(Instant.FromUtc(2026, 1, 1, 15, 59, 30));
        await server.Operator.RecordBatchAsync([
            Samples.Llm("e1", "acme"),
            Samples.Llm("e2", "acme", model: "GPT-4o-mini-128k"),
            Samples.Llm("e3", "acme") with { Time = new DateTimeOffset(2026, 1, 1, 23, 59, 0, TimeSpan.FromHours(8)) },
        ]);

        var open = await Assert.ThrowsAsync<TollgateException>(() => server.Operator.IssueBillAsync("acme", new IssueBillRequest(new DateOnly(2026, 1, 1))));
        Assert.Equal((HttpStatusCode.Conflict, "cycle_open"), (open.Status, open.Code));

        server.Clock.Set(Instant.FromUtc(2026, 1, 1, 16, 0, 1));
        var bill = await server.Operator.IssueBillAsync("acme", new IssueBillRequest(new DateOnly(2026, 1, 1)));
        var credits = Assert.Single(bill.Units);
        Assert.Equal(3L, credits.Events);
        Assert.Equal(["GPT-4.1-1M", "GPT-4o-mini-128k"], credits.Lines.Select(l => l.Model));
        Assert.Equal((2000m, 2000m), (credits.Lines[0].Quantities["input_tokens"], credits.Lines[0].Quantities["output_tokens"]));
        Assert.Equal(credits.Lines.Sum(l => l.Amount), credits.Total);
        Assert.Equal(bill, (await server.Operator.ListBillsAsync("acme")).Bills.Single(), BillComparer.Instance);

        var csv = await server.Operator.ExportBillAsync("acme", "2026-01-01", "csv");
        Assert.StartsWith("bill,unit,row,type,model", csv, StringComparison.Ordinal);
        Assert.Contains($"2026-01-01,credits,total,,,,,3,,,{credits.Total}", csv, StringComparison.Ordinal);
        var html = await server.Operator.ExportBillAsync("acme", "2026-01-01", "html");
        Assert.Contains("<h1>Bill 2026-01-01</h1>", html, StringComparison.Ordinal);

        var usage = await server.Operator.GetUsageAsync(new UsageQuery("acme", GroupBy: ["model"], Bucket: "day"));
        Assert.Equal([("2026-01-01", "GPT-4.1-1M", 2L), ("2026-01-01", "GPT-4o-mini-128k", 1L)], usage.Rows.Select(r => (r.Bucket!, r.Group["model"], r.Events)));
        Assert.Equal(credits.Total, usage.Rows.Sum(r => r.Amounts["credits"]));

        var key = await server.Operator.CreateKeyAsync(new KeyRequest("acme reader", "acme"));
        var own = await server.ClientFor(key.Secret).GetUsageAsync(new UsageQuery());
        Assert.Equal(3L, Assert.Single(own.Rows).Events);
    }

    [Theory]
    [InlineData("v1/usage?group_by=color", "group_by")]
    [InlineData("v1/usage?group_by=model,model", "group_by")]
    [InlineData("v1/usage?bucket=week", "bucket")]
    [InlineData("v1/usage?group_by=subject&bucket=hour", "bucket")]
    [InlineData("v1/usage?from=yesterday", "from")]
    [InlineData("v1/usage?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "to")]
    [InlineData("v1/tenants/acme/bills/2026-01-01?format=pdf", "format")]
    [InlineData("v1/tenants/acme/bills?limit=501", "limit")]
    [InlineData("v1/tenants/acme/bills?limit=0", "limit")]
    [InlineData("v1/tenants/acme/bills?from=March", "from")]
    [InlineData("v1/tenants/acme/bills?from=2026-03-02&to=2026-03-01", "to")]
    [InlineData("v1/tenants/acme/bills?cursor=xyz", "cursor")]
    public async Task BadQuery_Gets400NamingTheField(string path, string field)
    {
        await using var server = await TestServer.StartAsync();
        await Samples.FundedTenantAsync(server, "acme");
        using var response = await server.Raw(server.OperatorKey).GetAsync(path);
        var problem = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, problem);
        Assert.Contains($"\"field\":\"{field}\"", problem, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestServer.Engines), MemberType = typeof(TestServer))]
    public async Task Bills_EmptyCyclesAndPages_Get409CycleEmptyAndANextCursor(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        await Samples.FundedTenantAsync(server, "acme");
        // 2026-01-10 20:00 in Shanghai: the 9th has ended but its bill is not due yet (the background job could issue the others).
        server.Clock.Set(Instant.FromUtc(2026, 1, 10, 12, 0));
        await server.Operator.RecordBatchAsync([.. new[] { 2, 5, 9 }.Select(d => Samples.Llm($"e{d}", "acme") with { Time = new DateTimeOffset(2026, 1, d, 12, 0, 0, TimeSpan.FromHours(8)) })]);

        var empty = await Assert.ThrowsAsync<TollgateException>(() => server.Operator.IssueBillAsync("acme", new IssueBillRequest(new DateOnly(2026, 1, 7))));
        Assert.Equal((HttpStatusCode.Conflict, "cycle_empty", "cycle"), (empty.Status, empty.Code, empty.Problem?.Field));
        var first = await server.Operator.ListBillsAsync("acme", new BillQuery(Limit: 1));
        Assert.Equal("2026-01-05", Assert.Single(first.Bills).Id);
        var second = await server.Operator.ListBillsAsync("acme", new BillQuery(Limit: 1, Cursor: first.NextCursor));
        Assert.Equal(("2026-01-02", (string?)null), (Assert.Single(second.Bills).Id, second.NextCursor));

        await server.Operator.IssueBillAsync("acme", new IssueBillRequest(new DateOnly(2026, 1, 9)));
        var january = await server.Operator.ListBillsAsync("acme", new BillQuery(new DateOnly(2026, 1, 3), new DateOnly(2026, 2, 1)));
        Assert.Equal(["2026-01-09", "2026-01-05"], january.Bills.Select(b => b.Id));
    }

    /// <summary>Waits until the server has recorded an attempt's answer: the back-off counts from then.</summary>
    private static async Task AttemptsRecordedAsync(TestServer server, string webhookId, long attempts)
    {
        for (var waited = 0; (await server.Operator.ListDeliveriesAsync(webhookId)).Deliveries.Single().Attempts < attempts; waited += 50)
        {
            Assert.True(waited < 15_000, $"attempt {attempts} was not recorded");
            await Task.Delay(50);
        }
    }

    private static Duration AlertBackoff(int attempts) => Duration.FromSeconds(30 * Math.Pow(2, attempts - 1));

    private sealed class BillComparer : IEqualityComparer<Bill>
    {
        public static readonly BillComparer Instance = new();

        public bool Equals(Bill? x, Bill? y) => System.Text.Json.JsonSerializer.Serialize(x, TollgateJson.Options) == System.Text.Json.JsonSerializer.Serialize(y, TollgateJson.Options);

        public int GetHashCode(Bill obj) => obj.Id.GetHashCode(StringComparison.Ordinal);
    }

    /// <summary>A webhook receiver on a free port that answers 500 to its first requests, then 200, and keeps what it got.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication app;
        private readonly ConcurrentQueue<Received> requests = new();

        private Receiver(WebApplication app) => this.app = app;

        public sealed record Received(string Body, string? Timestamp, string? Signature, string? Delivery, int Answered);

        public string Url => app.Urls.First() + "/hook";

        public IReadOnlyList<Received> Requests => [.. requests];

        public static async Task<Receiver> StartAsync(int failFirst)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var receiver = new Receiver(app);
            app.MapPost("/hook", async (HttpRequest request) =>
            {
                using var reader = new StreamReader(request.Body);
                var body = await reader.ReadToEndAsync();
                var status = receiver.requests.Count < failFirst ? 500 : 200;
                receiver.requests.Enqueue(new Received(
                    body,
                    request.Headers[WebhookSignature.TimestampHeader],
                    request.Headers[WebhookSignature.SignatureHeader],
                    request.Headers[WebhookSignature.DeliveryHeader],
                    status));
                return Results.StatusCode(status);
            });
            await app.StartAsync();
            return receiver;
        }

        public async Task WaitForAsync(int count)
        {
            for (var waited = 0; requests.Count < count; waited += 50)
            {
                Assert.True(waited < 15_000, $"the receiver got {requests.Count} requests, not {count}");
                await Task.Delay(50);
            }
        }

        public async ValueTask DisposeAsync() => await app.DisposeAsync();
    }
}
