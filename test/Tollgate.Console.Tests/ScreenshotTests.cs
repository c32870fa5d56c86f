using System.Diagnostics;
using Tollgate.Client.Contracts;
using Xunit.Abstractions;

namespace Tollgate.Console.Tests;

/// <summary>
/// Every console page over a demo tenant with a few weeks of usage, packs, a grant and a bill: each page answers 200,
/// its screenshot is written to docs/screenshots/, and its server time (median of five loopback requests) is printed.
/// A server of its own, so the screenshots show the demo data only.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ScreenshotTests(ConsoleFixture fixture, ITestOutputHelper output)
{
    private const string Tenant = "demo";

    public static readonly (string Name, string Path)[] TenantPages =
    [
        ("overview", "/tenants/demo"),
        ("usage", "/tenants/demo/usage?bucket=day&by=model&from=2025-12-18&to=2026-01-01"),
        ("requests", "/tenants/demo/requests"),
        ("request", "/tenants/demo/requests/demo-0"),
        ("bills", "/tenants/demo/bills"),
        ("packs", "/tenants/demo/packs"),
        ("pricing", "/tenants/demo/pricing?q=GPT-4.1"),
    ];

    public static readonly (string Name, string Path)[] OperatorPages =
    [
        ("tenants", "/admin/tenants"),
        ("keys", "/admin/keys"),
        ("price-books", "/admin/price-books"),
        ("webhooks", "/admin/webhooks"),
        ("health", "/admin/health"),
    ];

    [Fact]
    public async Task EveryPage_WithDemoData_RendersAndIsScreenshot()
    {
        await using var server = await ConsoleServer.StartAsync();
        var key = await DemoAsync(server);
        var tenant = await fixture.SignedInAsync(key, server);
        await VisitAsync(tenant, TenantPages);
        var op = await fixture.SignedInAsync(server.OperatorKey, server);
        await VisitAsync(op, OperatorPages);

        // The price-book page after a dry run of an uploaded version (dearer GPT-4.1-1M input) against the demo's events.
        await op.GotoAsync("/admin/price-books");
        await op.SelectOptionAsync("#version-book", "gptbots");
        await op.SetInputFilesAsync("#version-file", new Microsoft.Playwright.FilePayload
        {
            Name = "gptbots-v2.yaml", MimeType = "application/yaml", Buffer = System.Text.Encoding.UTF8.GetBytes(DemoVersion),
        });
        await op.ClickAsync("#version-dry-run");
        await Screenshots.TakeAsync(op, "price-book-dry-run");
        Assert.Equal(1, await op.Locator("#dry-run tbody tr[data-tenant=demo]").CountAsync());
    }

    private const string DemoVersion = """
        version: "2"
        effective_from: 2026-02-01T00:00:00Z
        settlement: { unit: credits, scale: 8, rounding: half_up }
        groups:
          - types: [llm_text]
            per: 1K
            items:
              - { model: GPT-4.1-1M, key_modes: { platform: { input_tokens: 0.3, output_tokens: 0.88 } } }
              - { model: GPT-4.1-mini-1M, key_modes: { platform: { input_tokens: 0.044, output_tokens: 0.176 } } }
              - { model: GPT-4o-128k, key_modes: { platform: { input_tokens: 0.275, output_tokens: 1.1 } } }
        """;

    private async Task VisitAsync(Microsoft.Playwright.IPage page, (string Name, string Path)[] pages)
    {
        foreach (var (name, path) in pages)
        {
            var response = await page.GotoAsync(path);
            Assert.Equal(200, response!.Status);
            await Screenshots.TakeAsync(page, name);

            var times = new List<double>();
            for (var i = 0; i < 5; i++)
            {
                var watch = Stopwatch.StartNew();
                var again = await page.Context.APIRequest.GetAsync(path);
                times.Add(watch.Elapsed.TotalMilliseconds);
                Assert.Equal(200, again.Status);
            }

            output.WriteLine($"{name,-12} {times.Order().ElementAt(2),7:0.0} ms  {path}");
        }
    }

    /// <summary>A tenant with two tiers, a paid recharge, a grant, a scoped pack, three weeks of mixed usage and the bill of 2025-12-31.</summary>
    private static async Task<string> DemoAsync(ConsoleServer server)
    {
        var op = server.Operator;
        await op.CreateTenantAsync(new TenantRequest(Tenant, TimeZone: "Asia/Shanghai", DiscountTiers: [new DiscountTier(500m, 0.95m), new DiscountTier(5000m, 0.9m)]));
        await op.TopUpAsync(Tenant, new TopUpRequest("demo-recharge", TopUpKind.Recharge, "credits", 1000m, Paid: 1000m));
        await op.TopUpAsync(Tenant, new TopUpRequest("demo-grant", TopUpKind.Grant, "credits", 100m, ExpiresAt: new DateTimeOffset(2026, 1, 31, 0, 0, 0, TimeSpan.Zero)));
        await op.TopUpAsync(Tenant, new TopUpRequest("demo-pack", TopUpKind.ResourcePack, "credits", 200m, ExpiresAt: new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), Scope: new Scope(Models: ["GPT-4.1-mini-1M"])));
        await op.AddFreeQuotaAsync(Tenant, new FreeQuotaRequest("credits", 2m, "day"));
        var created = await op.CreateKeyAsync(new KeyRequest("demo console", Tenant, CanRecord: true));
        string[] models = ["GPT-4.1-1M", "GPT-4.1-mini-1M", "GPT-4o-128k"];
        string[] channels = ["api", "web", "api"];
        var events = new List<UsageEvent>();
        for (var i = 0; i < 90; i++)
        {
            var day = Events.Local(2025, 12, 18, 9).AddDays(i % 14).AddHours(i % 11);
            events.Add(Events.Llm($"demo-{i}", Tenant, day, models[i % 3], input: 500 + (i * 37 % 1500), output: 200 + (i * 53 % 900), channel: channels[i % 3]));
        }

        await op.RecordBatchAsync(events);
        await op.IssueBillAsync(Tenant, new IssueBillRequest(new DateOnly(2025, 12, 31)));
        await op.CreateWebhookAsync(new WebhookRequest("http://127.0.0.1:9/tollgate-hook", Tenant, ["low_balance", "bill_issued"]));
        return created.Secret;
    }
}
