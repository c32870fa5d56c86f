using System.Text.Json;
using NodaTime;
using Tollgate.Client.Contracts;

namespace Tollgate.Server.Tests;

/// <summary>Issue 12's small items: end users listed, megapixels from width and height, daily quotas by the event's day.</summary>
public sealed class EndUserQuotaAndMegapixelTests
{
    [Theory]
    [MemberData(nameof(TestServer.Engines), MemberType = typeof(TestServer))]
    public async Task ListEndUsers_OwnersOfAccountsAndMessageBillingPayers_AreListed(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        await server.Operator.CreateTenantAsync(new TenantRequest("acme", TimeZone: "Asia/Shanghai", MessageBilling: true));
        await server.Operator.TopUpAsync("acme", new TopUpRequest("bob-1", TopUpKind.Recharge, "credits", 10m, Owner: "bob"));
        await server.Operator.AddFreeQuotaAsync("acme", new FreeQuotaRequest("credits", 3m, Owner: "carol"));
        var paid = await server.Operator.RecordAsync(Samples.Llm("e1", "acme", subject: "alice"));
        Assert.Equal("end_user:alice", paid.Payer);
        await server.Operator.SaveEndUserAsync("acme", new EndUserRequest("dave", "Dave D."));

        var users = (await server.Operator.ListEndUsersAsync("acme")).Users;
        Assert.Equal(["alice", "bob", "carol", "dave"], users.Select(u => u.Id));
        Assert.Equal([null, null, null, "Dave D."], users.Select(u => u.Name));

        // A named user stays named when it later pays, and is listed once.
        await server.Operator.SaveEndUserAsync("acme", new EndUserRequest("alice", "Alice L."));
        await server.Operator.RecordAsync(Samples.Llm("e2", "acme", subject: "alice"));
        Assert.Equal("Alice L.", (await server.Operator.ListEndUsersAsync("acme")).Users.Single(u => u.Id == "alice").Name);
    }

    [Fact]
    public async Task RecordImage_OnlyWidthAndHeightAttributes_ChargesPerMegapixel()
    {
        await using var server = await TestServer.StartAsync();
        await server.Operator.CreatePriceBookAsync("""
            id: images
            versions:
              - version: "1"
                effective_from: 2026-02-01T00:00:00Z
                settlement: { unit: USD, scale: 6 }
                groups:
                  - types: [image_generation]
                    per: 1
                    items:
                      - { model: flux-pro, prices: { megapixels: 0.05 } }
            """);
        await server.Operator.CreateTenantAsync(new TenantRequest("studio", PriceBook: "images"));
        server.Clock.Set(Instant.FromUtc(2026, 2, 2, 0, 0));
        var attributes = new Dictionary<string, JsonElement> { ["width"] = JsonSerializer.SerializeToElement(2048), ["height"] = JsonSerializer.SerializeToElement(1536) };
        var e = new UsageEvent("img-1", "studio", new DateTimeOffset(2026, 2, 2, 0, 0, 0, TimeSpan.Zero), "image_generation", "flux-pro", Attributes: attributes);

        var result = await server.Operator.RecordAsync(e);

        Assert.Equal("charged", result.Status);
        Assert.Equal(0.157286m, result.Amount); // 2048 x 1536 = 3.145728 megapixels x 0.05 = 0.1572864, to 6 places
        Assert.Equal(3.145728m, result.Charge!.Lines.Single().Quantity);
    }

    [Theory]
    [MemberData(nameof(TestServer.Engines), MemberType = typeof(TestServer))]
    public async Task DailyQuota_EventsOfYesterdayRecordedToday_UseYesterdaysQuotaNotTodays(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        server.Clock.Set(Instant.FromUtc(2026, 1, 2, 2, 0)); // 10:00 on 2 January in Shanghai
        await Samples.FundedTenantAsync(server, "acme");
        await server.Operator.AddFreeQuotaAsync("acme", new FreeQuotaRequest("credits", 10m, "day"));
        var today = new DateTimeOffset(2026, 1, 2, 9, 0, 0, TimeSpan.FromHours(8));
        var yesterday = new DateTimeOffset(2026, 1, 1, 9, 0, 0, TimeSpan.FromHours(8));
        UsageEvent Run(string id, DateTimeOffset time) => Samples.Llm(id, "acme") with { Time = time };

        var first = await server.Operator.RecordBatchAsync([.. Enumerable.Range(0, 3).Select(i => Run($"today-{i}", today))]);
        var late = await server.Operator.RecordBatchAsync([.. Enumerable.Range(0, 12).Select(i => Run($"yesterday-{i}", yesterday))]);
        var rest = await server.Operator.RecordBatchAsync([.. Enumerable.Range(3, 8).Select(i => Run($"today-{i}", today))]);
        var again = await server.Operator.RecordAsync(Run("yesterday-12", yesterday));

        Assert.All(first.Results, r => Assert.True(Free(r)));
        Assert.Equal(10, late.Results.Count(Free)); // yesterday had its own ten
        Assert.Equal([true, true, true, true, true, true, true, false], rest.Results.Select(Free)); // today's ten: three, then seven
        Assert.False(Free(again));
        Assert.Equal(0m, (await server.Operator.GetBalancesAsync("acme")).Accounts.Single(a => a.Kind == "free_quota").Available);

        var bill = await server.Operator.IssueBillAsync("acme", new IssueBillRequest(new DateOnly(2026, 1, 1)));
        var freeRuns = bill.Units.Single().Paid.Where(p => p.Kind == "free_quota").Sum(p => p.Amount);
        Assert.Equal(10m, freeRuns);
    }

    private static bool Free(EventResult r) => r.Payments!.Any(p => p.Kind == "free_quota");
}
