using System.Globalization;
using Microsoft.Playwright;

namespace Tollgate.Console.Tests;

/// <summary>What a tenant sees, in a real browser, against a real server: balances and usage from the same stores as the API.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class TenantPageTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task Overview_AfterEventRecordedThroughApi_ShowsNewBalance()
    {
        var key = await fixture.Server.TenantAsync("tp-balance");
        var page = await fixture.SignedInAsync(key);
        Assert.Equal("1000", await page.GetAttributeAsync("[data-available=credits]", "data-value"));

        var client = new Tollgate.Client.TollgateClient(new HttpClient { BaseAddress = fixture.Server.Address }, key);
        var result = await client.RecordAsync(Events.Llm("tp-balance-1", "tp-balance", Events.Local(2026, 1, 1, 7)));
        Assert.Equal("charged", result.Status);

        await page.ReloadAsync();
        Assert.Equal("998.9", await page.GetAttributeAsync("[data-available=credits]", "data-value"));
        Assert.Equal(0, await page.Locator("#free-quotas").CountAsync());
        Assert.Equal("1.1", await page.InnerTextAsync("#spend tr[data-unit=credits] [data-spend=today]"));
    }

    [Fact]
    public async Task Usage_KnownStream_ChartAndTableAndCsvHaveItsPoints()
    {
        var key = await fixture.Server.TenantAsync("tp-usage");
        await fixture.Server.Operator.RecordBatchAsync(
        [
            Events.Llm("u1", "tp-usage", Events.Local(2025, 12, 30, 10)),
            Events.Llm("u2", "tp-usage", Events.Local(2025, 12, 31, 9)),
            Events.Llm("u3", "tp-usage", Events.Local(2025, 12, 31, 20)),
            // 2025-12-31 23:00 UTC: the next day in Shanghai, so it lands in the 2026-01-01 bucket.
            Events.Llm("u4", "tp-usage", Events.Local(2026, 1, 1, 7), model: "GPT-4.1-mini-1M"),
        ]);
        var page = await fixture.SignedInAsync(key);
        await page.GotoAsync("/tenants/tp-usage/usage?bucket=day&by=model&from=2025-12-25&to=2026-01-01");

        var points = await Points(page);
        Assert.Equal(["2025-12-30 GPT-4.1-1M 1.1", "2025-12-31 GPT-4.1-1M 2.2", "2026-01-01 GPT-4.1-mini-1M 0.22"], points);
        Assert.Equal("amount:credits", await page.GetAttributeAsync("#usage-chart", "data-metric"));
        // MudBlazor drew them: one stacked-bar segment per point (zeros are not drawn), a donut slice per series, three day labels.
        Assert.Equal(3, await page.Locator("#usage-chart svg.mud-chart-bar path.mud-chart-bar").CountAsync());
        Assert.Equal(2, await page.Locator("#usage-donut svg path.mud-chart-serie").CountAsync());
        Assert.Equal(["12-30", "12-31", "01-01"], await page.Locator("#usage-chart svg.mud-chart-bar .mud-charts-xaxis text").AllTextContentsAsync());
        Assert.Equal(["GPT-4.1-1M", "GPT-4.1-mini-1M"], await page.Locator("#usage-chart .mud-chart-legend-item").AllInnerTextsAsync());
        Assert.Equal("2", await page.InnerTextAsync("#usage-table tr[data-bucket='2025-12-31'] td:nth-child(3)"));

        var csv = await page.Context.APIRequest.GetAsync((await page.GetAttributeAsync("#usage-csv", "href"))!);
        Assert.Equal(200, csv.Status);
        var lines = (await csv.TextAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("day,model,events,amount:credits,quantity:input_tokens,quantity:output_tokens", lines[0]);
        Assert.Equal("2025-12-31,GPT-4.1-1M,2,2.2,2000,2000", lines[2]);
        Assert.Equal(4, lines.Length);

        await page.GotoAsync("/tenants/tp-usage/usage?bucket=month&by=type&from=2025-12-01&to=2026-01-31&model=GPT-4.1-1M&metric=events");
        Assert.Equal(["2025-12 llm_text 3"], await Points(page));
        Assert.Equal(1, await page.Locator("#usage-chart svg.mud-chart-bar path.mud-chart-bar").CountAsync());
    }

    [Fact]
    public async Task Usage_BadDate_ShowsMessage()
    {
        var key = await fixture.Server.TenantAsync("tp-baddate");
        var page = await fixture.SignedInAsync(key);
        await page.GotoAsync("/tenants/tp-baddate/usage?from=yesterday");
        Assert.Contains("'from' must be a date", await page.InnerTextAsync("#usage-error"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_EventOpensToChargeLinesAndPayments()
    {
        var key = await fixture.Server.TenantAsync("tp-requests");
        await fixture.Server.Operator.TopUpAsync("tp-requests", new(
            "tp-requests-pack", Tollgate.Client.Contracts.TopUpKind.ResourcePack, "credits", 0.5m, Scope: new(Models: ["GPT-4.1-1M"])));
        await fixture.Server.Operator.RecordBatchAsync(
        [
            Events.Llm("r-old", "tp-requests", Events.Local(2025, 12, 31, 9), model: "GPT-4.1-mini-1M"),
            Events.Llm("r-new", "tp-requests", Events.Local(2025, 12, 31, 10)),
        ]);
        var page = await fixture.SignedInAsync(key);
        await page.GotoAsync("/tenants/tp-requests/requests");
        Assert.Equal(["r-new", "r-old"], await page.Locator("#requests tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.event)"));

        await page.GotoAsync("/tenants/tp-requests/requests?model=GPT-4.1-mini-1M");
        Assert.Equal(["r-old"], await page.Locator("#requests tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.event)"));

        await page.GotoAsync("/tenants/tp-requests/requests");
        await page.ClickAsync("#requests a:text('r-new')");
        Assert.Equal("0.22", await page.InnerTextAsync("#charge-lines tr[data-meter=input_tokens] td:nth-child(3)"));
        Assert.Contains("key_mode", await page.InnerTextAsync("#charge-lines tr[data-meter=input_tokens]"), StringComparison.Ordinal);
        // 1.1 credits: the scoped pack (counted in tokens) pays its 0.5 first, covering 0.000275 credits; the recharge the rest.
        Assert.Equal("0.5", await page.InnerTextAsync("#payments tr[data-kind=resource_pack] td:nth-child(4)"));
        Assert.Equal("0.000275", await page.InnerTextAsync("#payments tr[data-kind=resource_pack] td:nth-child(5)"));
        Assert.Equal("1.099725", await page.InnerTextAsync("#payments tr[data-kind=recharge] td:nth-child(5)"));

        await page.GotoAsync("/tenants/tp-requests/packs");
        Assert.Equal("0.5", await page.GetAttributeAsync("#resource_pack tr td[data-used]", "data-used"));
        Assert.Equal("models: GPT-4.1-1M", await page.GetAttributeAsync("#resource_pack tr td[data-scope]", "data-scope"));
    }

    [Fact]
    public async Task Bills_LinksDownloadTheApisExports_AndOnlyForTheOwnTenant()
    {
        var key = await fixture.Server.TenantAsync("tp-bills");
        await fixture.Server.TenantAsync("tp-bills-other");
        foreach (var tenant in new[] { "tp-bills", "tp-bills-other" })
        {
            await fixture.Server.Operator.RecordAsync(Events.Llm("b1", tenant, Events.Local(2025, 12, 31, 9)));
            await fixture.Server.Operator.IssueBillAsync(tenant, new Tollgate.Client.Contracts.IssueBillRequest(new DateOnly(2025, 12, 31)));
        }

        var page = await fixture.SignedInAsync(key);
        await page.GotoAsync("/tenants/tp-bills/bills");
        Assert.Equal("1.1", await page.InnerTextAsync("#bills tr[data-bill='2025-12-31'][data-unit=credits] td:nth-child(6)"));
        var api = await fixture.Server.Operator.ExportBillAsync("tp-bills", "2025-12-31", "csv");
        foreach (var (format, type) in new[] { ("html", "text/html"), ("csv", "text/csv"), ("json", "application/json") })
        {
            var href = await page.GetAttributeAsync($"#bills a:text('{format}')", "href");
            var download = await page.Context.APIRequest.GetAsync(href!);
            Assert.Equal(200, download.Status);
            Assert.StartsWith(type, download.Headers["content-type"], StringComparison.Ordinal);
            if (format == "csv")
            {
                Assert.Equal(api, await download.TextAsync());
            }
        }

        var foreign = await page.Context.APIRequest.GetAsync("/tenants/tp-bills-other/bills/2025-12-31.csv");
        Assert.Equal(404, foreign.Status);
    }

    [Fact]
    public async Task Overview_DailyFreeQuota_ShowsLeftAndNextLocalMidnight()
    {
        var key = await fixture.Server.TenantAsync("tp-quota");
        await fixture.Server.Operator.AddFreeQuotaAsync("tp-quota", new Tollgate.Client.Contracts.FreeQuotaRequest("credits", 2m, "day"));
        await fixture.Server.Operator.RecordAsync(Events.Llm("q1", "tp-quota", Events.Local(2026, 1, 1, 7)));
        var page = await fixture.SignedInAsync(key);
        // A free quota counts requests: one of the two was used.
        Assert.Equal("1", await page.GetAttributeAsync("#free-quotas td[data-left]", "data-left"));
        Assert.Contains("2026-01-02 00:00:00", await page.InnerTextAsync("#free-quotas"), StringComparison.Ordinal);
    }

    /// <summary>The exact numbers the chart was drawn from, listed beside it from the same series: "bucket series value".</summary>
    private static Task<string[]> Points(IPage page) =>
        page.Locator("#usage-chart .point").EvaluateAllAsync<string[]>("ps => ps.map(p => `${p.dataset.bucket} ${p.dataset.series} ${p.dataset.value}`)");

    internal static string Money(decimal value) => value.ToString("0.##########", CultureInfo.InvariantCulture);
}
