using System.Globalization;
using System.Text;
using Microsoft.Playwright;

namespace Tollgate.Console.Tests;

/// <summary>
/// The operator's price-book page: a version uploaded from a file is dry-run against stored events (per tenant, the
/// same numbers as the API's dry run) and added through the same registry; a bad file changes nothing. A server of its
/// own, since a new version of the built-in book would reach every other test's tenants.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class PriceBookFormTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task DryRunThenAdd_UploadedVersion_ShowsPerTenantComparisonAndAddsIt()
    {
        await using var server = await ConsoleServer.StartAsync();
        await server.TenantAsync("pb-a");
        await server.TenantAsync("pb-b");
        await server.Operator.RecordBatchAsync(
        [
            Events.Llm("a1", "pb-a", Events.Local(2025, 12, 30, 10)),
            Events.Llm("a2", "pb-a", Events.Local(2025, 12, 31, 10)),
            Events.Llm("b1", "pb-b", Events.Local(2025, 12, 31, 11)),
        ]);
        var effective = server.Clock.GetCurrentInstant().ToDateTimeOffset().AddDays(1);
        var version = VersionYaml("2", effective, 0.44m);
        var page = await fixture.SignedInAsync(server.OperatorKey, server);
        await page.GotoAsync("/admin/price-books");

        await UploadAsync(page, "gptbots", version, "#version-dry-run");
        Assert.Contains("nothing was changed", await page.InnerTextAsync("#version-message.ok"), StringComparison.Ordinal);
        // 1,000 input and 1,000 output tokens: 0.22 + 0.88 = 1.1 credits now, 0.44 + 0.88 = 1.32 with the candidate.
        Assert.Equal(
            ["pb-a credits 2 2.2 2.64 0.44", "pb-b credits 1 1.1 1.32 0.22"],
            await page.Locator("#dry-run tbody tr").EvaluateAllAsync<string[]>(
                "rows => rows.map(r => [r.dataset.tenant, r.dataset.unit, r.children[2].innerText, r.querySelector('[data-current]').dataset.current, " +
                "r.querySelector('[data-candidate]').dataset.candidate, r.querySelector('[data-difference]').dataset.difference].join(' '))"));
        var api = await server.Operator.DryRunAsync("gptbots", version);
        var total = Assert.Single(api.Totals);
        Assert.Equal(total.Difference.ToString(CultureInfo.InvariantCulture), await page.GetAttributeAsync("#dry-run tr[data-total=credits] [data-difference]", "data-difference"));
        Assert.Equal(["1"], (await server.Operator.GetPriceBookAsync("gptbots")).Versions.Select(v => v.Version));

        await UploadAsync(page, "gptbots", version, "#version-add");
        Assert.Contains("Added version 2 of gptbots", await page.InnerTextAsync("#version-message.ok"), StringComparison.Ordinal);
        Assert.Equal(["1", "2"], (await server.Operator.GetPriceBookAsync("gptbots")).Versions.Select(v => v.Version));
        Assert.Contains("scheduled", await page.InnerTextAsync("#price-books tr[data-book=gptbots][data-version='2']"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("version: \"2\"\neffective_from: not-a-date\n", "not a valid price book version")]
    [InlineData("{ this is: [not yaml", "not a valid price book version")]
    [InlineData("past", "takes effect in the past")]
    [InlineData("", "Choose a file")]
    public async Task Add_BadFile_ShowsMessageAndChangesNothing(string content, string expected)
    {
        await using var server = await ConsoleServer.StartAsync();
        if (content == "past")
        {
            content = VersionYaml("2", server.Clock.GetCurrentInstant().ToDateTimeOffset().AddDays(-1), 0.44m);
        }

        var page = await fixture.SignedInAsync(server.OperatorKey, server);
        await page.GotoAsync("/admin/price-books");
        await UploadAsync(page, "gptbots", content, "#version-add");

        Assert.Contains(expected, await page.InnerTextAsync("#version-message.error"), StringComparison.Ordinal);
        Assert.Equal(["1"], (await server.Operator.GetPriceBookAsync("gptbots")).Versions.Select(v => v.Version));
        Assert.Equal(1, await page.Locator("#price-books tr[data-book=gptbots]").CountAsync());
    }

    [Fact]
    public async Task Upload_WithoutAntiforgeryToken_IsRefused()
    {
        await using var server = await ConsoleServer.StartAsync();
        var page = await fixture.SignedInAsync(server.OperatorKey, server);
        await page.GotoAsync("/admin/price-books");
        var version = VersionYaml("2", server.Clock.GetCurrentInstant().ToDateTimeOffset().AddDays(1), 0.44m);
        var status = await page.EvaluateAsync<int>(
            "async (text) => { const d = new FormData(document.querySelector('#version-form')); d.delete('__RequestVerificationToken'); " +
            "d.set('version_file', new File([text], 'v2.yaml')); d.set('Version.Action', 'add'); " +
            "return (await fetch(location.href, { method: 'POST', body: d })).status; }", version);
        Assert.Equal(400, status);
        Assert.Equal(["1"], (await server.Operator.GetPriceBookAsync("gptbots")).Versions.Select(v => v.Version));
    }

    private static async Task UploadAsync(IPage page, string book, string content, string button)
    {
        await page.SelectOptionAsync("#version-book", book);
        if (content.Length > 0)
        {
            await page.SetInputFilesAsync("#version-file", new FilePayload { Name = "version.yaml", MimeType = "application/yaml", Buffer = Encoding.UTF8.GetBytes(content) });
        }

        await page.ClickAsync(button);
        await page.WaitForSelectorAsync("#version-message");
    }

    /// <summary>A version of the GPTBots book that prices GPT-4.1-1M's input at <paramref name="inputPrice"/> credits per 1K.</summary>
    private static string VersionYaml(string version, DateTimeOffset effective, decimal inputPrice) => $$"""
        version: "{{version}}"
        effective_from: {{effective.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}}
        settlement: { unit: credits, scale: 8, rounding: half_up }
        groups:
          - types: [llm_text]
            per: 1K
            items:
              - { model: GPT-4.1-1M, key_modes: { platform: { input_tokens: {{inputPrice.ToString(CultureInfo.InvariantCulture)}}, output_tokens: 0.88 } } }
        """;
}
