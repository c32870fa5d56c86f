using System.Diagnostics;
using Tollgate.Client.Contracts;
using Xunit.Abstractions;

namespace Tollgate.Console.Tests;

/// <summary>
/// Server time of each page for a tenant with a month of 20,000 events (SQLite, loopback): the median of five requests
/// is printed for docs and the report. Not the 10-million-event benchmark; it checks the pages' numbers agree.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class PageTimeTests(ConsoleFixture fixture, ITestOutputHelper output)
{
    private const int Events = 20_000;

    [Fact]
    public async Task Pages_MonthOfEvents_AnswerAndAgreeOnTheCount()
    {
        await using var server = await ConsoleServer.StartAsync();
        var key = await server.TenantAsync("month", credits: 1_000_000m);
        string[] models = ["GPT-4.1-1M", "GPT-4.1-mini-1M", "GPT-4o-128k", "GPT-4.1-nano-1M", "GPT-4o-mini-128k"];
        string[] channels = ["api", "web", "wechat"];
        for (var batch = 0; batch < Events / 5000; batch++)
        {
            var events = Enumerable.Range(batch * 5000, 5000).Select(i => Tollgate.Console.Tests.Events.Llm(
                $"m-{i}", "month", Tollgate.Console.Tests.Events.Local(2025, 12, 2, 0).AddSeconds(i * (30L * 86400 / Events)), models[i % 5], 100 + (i % 900), 50 + (i % 400), channels[i % 3])).ToList();
            await server.Operator.RecordBatchAsync(events);
        }

        var page = await fixture.SignedInAsync(key, server);
        await page.GotoAsync("/tenants/month/usage?bucket=month&by=model&from=2025-12-01&to=2025-12-31&metric=events");
        var counted = await page.Locator("#usage-chart .point").EvaluateAllAsync<decimal[]>("points => points.map(p => Number(p.dataset.value))");
        Assert.Equal(Events, counted.Sum());
        Assert.Equal(models.Length, await page.Locator("#usage-chart svg.mud-chart-bar path.mud-chart-bar").CountAsync());

        string[] paths =
        [
            "/tenants/month",
            "/tenants/month/usage?bucket=day&by=model&from=2025-12-01&to=2025-12-31",
            "/tenants/month/usage?bucket=hour&by=channel&from=2025-12-31&to=2025-12-31",
            "/tenants/month/usage?bucket=day&by=subject&from=2025-12-01&to=2025-12-31",
            "/tenants/month/requests",
            "/tenants/month/requests?model=GPT-4o-128k",
            "/tenants/month/packs",
            "/tenants/month/pricing",
            "/tenants/month/bills",
        ];
        output.WriteLine($"{Events} events over 30 days, SQLite; median of 5 requests:");
        foreach (var path in paths)
        {
            var times = new List<double>();
            for (var i = 0; i < 5; i++)
            {
                var watch = Stopwatch.StartNew();
                var response = await page.Context.APIRequest.GetAsync(path);
                times.Add(watch.Elapsed.TotalMilliseconds);
                Assert.Equal(200, response.Status);
            }

            output.WriteLine($"{times.Order().ElementAt(2),8:0.0} ms  {path}");
        }
    }
}
