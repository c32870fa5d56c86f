using Microsoft.Playwright;

namespace Tollgate.Console.Tests;

/// <summary>An operator's writes through the console's forms: the same idempotent ledger operations as the API.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class OperatorTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task TopUp_SubmittedTwice_TopsUpOnce()
    {
        await fixture.Server.TenantAsync("op-topup");
        var page = await fixture.SignedInAsync(fixture.Server.OperatorKey);
        await page.GotoAsync("/tenants/op-topup");
        await page.FillAsync("#topup-amount", "50");

        // The same rendered form (same hidden top-up id, same antiforgery token) posted twice at once, as a double click does.
        var statuses = await page.EvaluateAsync<int[]>(
            "async () => { const f = document.querySelector('#topup'); " +
            "const post = () => fetch(location.href, { method: 'POST', body: new FormData(f) }).then(r => r.status); " +
            "return await Promise.all([post(), post()]); }");
        Assert.Equal([200, 200], statuses);

        await page.ReloadAsync();
        Assert.Equal("1050", await page.GetAttributeAsync("[data-available=credits]", "data-value"));
        var balances = await fixture.Server.Operator.GetBalancesAsync("op-topup");
        Assert.Equal(1050m, balances.Accounts.Where(a => a.Kind == "recharge").Sum(a => a.Available));

        // And through the button, once more: a new form, a new id, a new top-up.
        await page.FillAsync("#topup-amount", "25");
        await page.ClickAsync("#topup-submit");
        Assert.Contains("Topped up 25 credits", await page.InnerTextAsync("#topup-message"), StringComparison.Ordinal);
        Assert.Equal("1075", await page.GetAttributeAsync("[data-available=credits]", "data-value"));
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("abc")]
    [InlineData("0")]
    public async Task TopUp_BadAmount_ShowsMessageAndChangesNothing(string amount)
    {
        var tenant = "op-bad-" + Guid.NewGuid().ToString("N")[..6];
        await fixture.Server.TenantAsync(tenant);
        var page = await fixture.SignedInAsync(fixture.Server.OperatorKey);
        await page.GotoAsync("/tenants/" + tenant);
        await page.FillAsync("#topup-amount", amount);
        await page.ClickAsync("#topup-submit");
        Assert.Contains("Amount must be a number greater than zero", await page.InnerTextAsync("#topup-message.error"), StringComparison.Ordinal);
        Assert.Equal("1000", await page.GetAttributeAsync("[data-available=credits]", "data-value"));
        var balances = await fixture.Server.Operator.GetBalancesAsync(tenant);
        Assert.Equal(1000m, balances.Accounts.Sum(a => a.Posted));
    }

    [Fact]
    public async Task TopUp_WithoutAntiforgeryToken_IsRefused()
    {
        await fixture.Server.TenantAsync("op-csrf");
        var page = await fixture.SignedInAsync(fixture.Server.OperatorKey);
        await page.GotoAsync("/tenants/op-csrf");
        await page.FillAsync("#topup-amount", "50");
        var status = await page.EvaluateAsync<int>(
            "async () => { const d = new FormData(document.querySelector('#topup')); d.delete('__RequestVerificationToken'); " +
            "return (await fetch(location.href, { method: 'POST', body: d })).status; }");
        Assert.Equal(400, status);
        var balances = await fixture.Server.Operator.GetBalancesAsync("op-csrf");
        Assert.Equal(1000m, balances.Accounts.Where(a => a.Kind == "recharge").Sum(a => a.Available));
    }

    [Fact]
    public async Task CreateTenantAndKey_ThenRevoke_EndsThatKeysSession()
    {
        var op = await fixture.SignedInAsync(fixture.Server.OperatorKey);
        await op.GotoAsync("/admin/tenants");
        await op.FillAsync("#create-id", "bad id!");
        await op.ClickAsync("#create-submit");
        Assert.Contains("Id must be", await op.InnerTextAsync("#create-message.error"), StringComparison.Ordinal);
        Assert.Equal(0, await op.Locator("#tenants tr[data-tenant='bad id!']").CountAsync());

        await op.FillAsync("#create-id", "op-made");
        await op.ClickAsync("#create-submit");
        Assert.Contains("Created tenant 'op-made'", await op.InnerTextAsync("#create-message.ok"), StringComparison.Ordinal);
        Assert.Equal("op-made", (await fixture.Server.Operator.ListTenantsAsync()).Tenants.Single(t => t.Id == "op-made").Id);

        await op.GotoAsync("/admin/keys");
        await op.FillAsync("#key-name", "made in the console");
        await op.FillAsync("#key-tenant", "op-made");
        await op.ClickAsync("#key-submit");
        var secret = await op.InnerTextAsync("#new-secret");
        var tenant = await fixture.SignedInAsync(secret);
        Assert.EndsWith("/tenants/op-made", tenant.Url, StringComparison.Ordinal);

        var id = (await fixture.Server.Operator.ListKeysAsync("op-made")).Keys.Single().Id;
        await op.ClickAsync($"#keys tr[data-key='{id}'] button.revoke");
        Assert.Contains($"Key {id} revoked", await op.InnerTextAsync("#key-message"), StringComparison.Ordinal);
        await tenant.ReloadAsync();
        Assert.Contains("/signin", tenant.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_StrictAndBadZone_SavedOrRefused()
    {
        await fixture.Server.TenantAsync("op-settings");
        var page = await fixture.SignedInAsync(fixture.Server.OperatorKey);
        await page.GotoAsync("/tenants/op-settings");
        await page.FillAsync("input[name='Settings.TimeZone']", "Mars/Olympus");
        await page.SelectOptionAsync("#settings-strict", "true");
        await page.ClickAsync("#settings-submit");
        Assert.Contains("not an IANA time zone", await page.InnerTextAsync("#settings-message.error"), StringComparison.Ordinal);
        Assert.False((await fixture.Server.Operator.GetTenantAsync("op-settings")).Strict);

        await page.FillAsync("input[name='Settings.TimeZone']", "Europe/Berlin");
        await page.SelectOptionAsync("#settings-strict", "true");
        await page.ClickAsync("#settings-submit");
        Assert.Equal("Saved.", await page.InnerTextAsync("#settings-message.ok"));
        var tenant = await fixture.Server.Operator.GetTenantAsync("op-settings");
        Assert.Equal((true, "Europe/Berlin"), (tenant.Strict, tenant.TimeZone));
    }
}
