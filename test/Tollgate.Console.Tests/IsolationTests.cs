using Microsoft.Playwright;

namespace Tollgate.Console.Tests;

/// <summary>Every console route, opened with a tenant key: its own pages answer, another tenant's are 404, operator pages 403.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class IsolationTests(ConsoleFixture fixture)
{
    public static readonly string[] TenantPages = ["", "/usage", "/usage.csv", "/requests", "/requests/iso-event", "/bills", "/packs", "/pricing"];

    public static readonly string[] OperatorPages = ["/admin/tenants", "/admin/keys", "/admin/price-books", "/admin/webhooks", "/admin/health"];

    [Fact]
    public async Task TenantKey_OtherTenantsPages_Are404AndOperatorPages403()
    {
        var mine = await fixture.Server.TenantAsync("iso-mine");
        await fixture.Server.TenantAsync("iso-theirs");
        await fixture.Server.Operator.RecordAsync(Events.Llm("iso-event", "iso-mine", Events.Local(2026, 1, 1, 7)));
        await fixture.Server.Operator.RecordAsync(Events.Llm("iso-event", "iso-theirs", Events.Local(2026, 1, 1, 7)));
        var page = await fixture.SignedInAsync(mine);
        foreach (var path in TenantPages)
        {
            Assert.Equal(200, await StatusAsync(page, "/tenants/iso-mine" + path));
            Assert.Equal(404, await StatusAsync(page, "/tenants/iso-theirs" + path));
            Assert.Equal(404, await StatusAsync(page, "/tenants/iso-nobody" + path));
        }

        foreach (var path in OperatorPages)
        {
            Assert.Equal(403, await StatusAsync(page, path));
        }
    }

    [Fact]
    public async Task OperatorKey_OpensEveryPage()
    {
        await fixture.Server.TenantAsync("iso-op");
        await fixture.Server.Operator.RecordAsync(Events.Llm("iso-event", "iso-op", Events.Local(2026, 1, 1, 7)));
        var page = await fixture.SignedInAsync(fixture.Server.OperatorKey);
        foreach (var path in TenantPages)
        {
            Assert.Equal(200, await StatusAsync(page, "/tenants/iso-op" + path));
        }

        foreach (var path in OperatorPages)
        {
            Assert.Equal(200, await StatusAsync(page, path));
        }
    }

    private static async Task<int> StatusAsync(IPage page, string path)
    {
        if (path.EndsWith(".csv", StringComparison.Ordinal))
        {
            // A download is not a navigation: fetched with the browser context's cookies instead.
            var download = await page.Context.APIRequest.GetAsync(path, new() { MaxRedirects = 0 });
            return download.Status;
        }

        var response = await page.GotoAsync(path);
        return response?.Status ?? 0;
    }
}
