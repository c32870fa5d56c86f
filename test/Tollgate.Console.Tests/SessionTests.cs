using System.Net;
using Microsoft.Playwright;
using Tollgate.Client.Contracts;

namespace Tollgate.Console.Tests;

/// <summary>Sign-in, the session cookie, sign-out and the redirect of pages without a session, in a real browser.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class SessionTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task Page_WithoutSession_RedirectsToSignIn()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/tenants/anyone");
        Assert.Contains("/signin", page.Url, StringComparison.Ordinal);
        Assert.Contains("ReturnUrl=%2Ftenants%2Fanyone", page.Url, StringComparison.Ordinal);
        await Screenshots.TakeAsync(page, "signin");
    }

    [Fact]
    public async Task SignIn_WithTenantKey_ShowsOwnOverviewWithSecureCookie()
    {
        var key = await fixture.Server.TenantAsync("session-a");
        var page = await fixture.SignedInAsync(key);
        Assert.EndsWith("/tenants/session-a", page.Url, StringComparison.Ordinal);
        var response = await page.ReloadAsync();
        // Every signed-in page carries the sign-out form's antiforgery token, which makes it no-store: no cache keeps balances.
        Assert.Contains("no-store", response!.Headers["cache-control"], StringComparison.Ordinal);
        Assert.Equal("1000", await page.GetAttributeAsync("[data-available=credits]", "data-value"));
        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "tollgate_console");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.True(cookie.Expires > DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task SignIn_WithUnknownKey_ShowsMessageAndNoSession()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/signin");
        await page.FillAsync("#key", "tg_nope_0000");
        await page.ClickAsync("#sign-in");
        Assert.Contains("unknown or revoked", await page.InnerTextAsync("#signin-error"), StringComparison.Ordinal);
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "tollgate_console");
    }

    [Fact]
    public async Task SignOut_EndsTheSession()
    {
        var key = await fixture.Server.TenantAsync("session-b");
        var page = await fixture.SignedInAsync(key);
        var stolen = (await page.Context.CookiesAsync()).Single(c => c.Name == "tollgate_console");
        await page.ClickAsync("#sign-out");
        await page.WaitForURLAsync(u => u.Contains("/signin", StringComparison.Ordinal));
        await page.GotoAsync("/tenants/session-b");
        Assert.Contains("/signin", page.Url, StringComparison.Ordinal);

        // The old cookie, replayed, is still a valid ticket until it expires (cookies are stateless), but revoking
        // the key ends it: the console checks the key on every request.
        var keys = await fixture.Server.Operator.ListKeysAsync("session-b");
        await fixture.Server.Operator.RevokeKeyAsync(keys.Keys.Single().Id);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = fixture.Server.Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, "tenants/session-b");
        request.Headers.Add("Cookie", $"{stolen.Name}={stolen.Value}");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/signin", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }
}
