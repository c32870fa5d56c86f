using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Tollgate.Client.Contracts;

namespace Tollgate.Gateway.Tests;

/// <summary>Gateway keys: shown once, stored hashed, listed without secrets, revocable, limited to their models and their tenant.</summary>
public sealed class GatewayKeyTests
{
    [Fact]
    public async Task Keys_CreateListRevoke_SecretShownOnceAndRevokedKeyRefused()
    {
        await using var host = await GatewayHost.StartAsync();
        using var admin = host.Admin();
        using var created = await admin.PostAsJsonAsync("v1/tenants/acme/gateway-keys", new { name = "bot", channel = "partner", subject = "u1", models = new[] { "test-chat" } });
        var key = await Calls.JsonAsync(created);
        var secret = key["key"]!.GetValue<string>();
        Assert.StartsWith("tgk_", secret, StringComparison.Ordinal);
        Assert.Equal("partner", key["channel"]!.GetValue<string>());

        var listed = await admin.GetStringAsync("v1/tenants/acme/gateway-keys");
        Assert.DoesNotContain(secret[^20..], listed, StringComparison.Ordinal);
        Assert.Equal(2, JsonNode.Parse(listed)!["keys"]!.AsArray().Count);

        var (ok, _) = await Calls.SendAsync(host.Gateway(secret), Calls.Post("openai/v1/chat/completions", Calls.Chat("test-chat")));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        using var revoked = await admin.DeleteAsync($"v1/tenants/acme/gateway-keys/{key["id"]!.GetValue<string>()}");
        Assert.NotNull((await Calls.JsonAsync(revoked))["revoked_at"]);
        var (refused, _) = await Calls.SendAsync(host.Gateway(secret), Calls.Post("openai/v1/chat/completions", Calls.Chat("test-chat")));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task Key_LimitedToModels_OtherModelsNotFoundAndNotListed()
    {
        await using var host = await GatewayHost.StartAsync();
        var secret = await host.CreateKeyAsync(new JsonObject { ["name"] = "narrow", ["models"] = new JsonArray("failover") });
        var (response, _) = await Calls.SendAsync(host.Gateway(secret), Calls.Post("openai/v1/chat/completions", Calls.Chat("test-chat")));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var models = JsonNode.Parse(await host.Gateway(secret).GetStringAsync("openai/v1/models"))!["data"]!.AsArray();
        Assert.Equal("failover", Assert.Single(models)!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Models_ListsRoutes_NeverTheProviderKey()
    {
        await using var host = await GatewayHost.StartAsync();
        var text = await host.Gateway().GetStringAsync("openai/v1/models");
        Assert.Contains("\"test-chat\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain(GatewayHost.ProviderKey, text, StringComparison.Ordinal);
        using var anonymous = new HttpClient { BaseAddress = host.Address };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("openai/v1/models")).StatusCode);
    }

    [Fact]
    public async Task Keys_OtherTenantsKey_NotFound_ReadOnlyKeyForbidden()
    {
        await using var host = await GatewayHost.StartAsync();
        await host.Operator.CreateTenantAsync(new TenantRequest("other", TimeZone: "UTC", PriceBook: "gateway-test"));
        var other = await host.Operator.CreateKeyAsync(new KeyRequest("other admin", "other", CanRecord: true));
        var reader = await host.Operator.CreateKeyAsync(new KeyRequest("reader", GatewayHost.Tenant, CanRecord: false));
        var admin = await host.Operator.CreateKeyAsync(new KeyRequest("admin", GatewayHost.Tenant, CanRecord: true));

        Assert.Equal(HttpStatusCode.NotFound, (await host.Gateway(other.Secret).GetAsync("v1/tenants/acme/gateway-keys")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Gateway(reader.Secret).GetAsync("v1/tenants/acme/gateway-keys")).StatusCode);
        using var created = await host.Gateway(admin.Secret).PostAsJsonAsync("v1/tenants/acme/gateway-keys", new { name = "by tenant admin" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        // A gateway key is not an API key.
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Gateway().GetAsync("v1/tenants/acme/gateway-keys")).StatusCode);
    }
}
