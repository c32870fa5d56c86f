namespace Tollgate.Console.Tests;

/// <summary>The operator's free-quota form on a tenant's overview: the same store call as POST /v1/tenants/{t}/free-quotas.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class FreeQuotaFormTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task FreeQuota_ValidThenBadLimit_DefinesOneQuotaAndRefusesTheOther()
    {
        await fixture.Server.TenantAsync("op-quota");
        var page = await fixture.SignedInAsync(fixture.Server.OperatorKey);
        await page.GotoAsync("/tenants/op-quota");
        Assert.Equal(0, await page.Locator("#free-quotas tbody tr").CountAsync());

        await page.FillAsync("#quota-limit", "500");
        await page.SelectOptionAsync("select[name='Quota.Period']", "day");
        await page.ClickAsync("#quota-submit");
        Assert.Contains("500 credits per day", await page.InnerTextAsync("#quota-message.ok"), StringComparison.Ordinal);
        Assert.Equal("500", await page.GetAttributeAsync("#free-quotas tbody tr [data-left]", "data-left"));

        await page.FillAsync("#quota-limit", "-3");
        await page.ClickAsync("#quota-submit");
        Assert.Contains("Limit must be a number greater than zero", await page.InnerTextAsync("#quota-message.error"), StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator("#free-quotas tbody tr").CountAsync());

        // The quota pays for usage as one defined through the API does.
        await fixture.Server.Operator.RecordAsync(Events.Llm("q1", "op-quota", Events.Local(2026, 1, 1, 9), input: 100, output: 100));
        Assert.Equal(1000m, (await fixture.Server.Operator.GetBalancesAsync("op-quota")).Accounts.Where(a => a.Kind == "recharge").Sum(a => a.Available));
    }

    [Fact]
    public async Task FreeQuota_TenantKey_SeesNoForm()
    {
        var key = await fixture.Server.TenantAsync("op-quota-tenant");
        var page = await fixture.SignedInAsync(key);
        await page.GotoAsync("/tenants/op-quota-tenant");
        Assert.Equal(0, await page.Locator("#free-quota").CountAsync());
    }
}
