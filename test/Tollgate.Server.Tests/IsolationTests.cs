using System.Net;
using System.Net.Http.Json;
using System.Text;
using Tollgate.Client.Contracts;

namespace Tollgate.Server.Tests;

/// <summary>A tenant key never reaches another tenant's data: every endpoint answers 404 or 403 and nothing changes.</summary>
public sealed class IsolationTests
{
    private const string Event = """{"id":"x-1","tenant":"acme","time":"2026-01-01T08:00:00+08:00","type":"llm_text","model":"GPT-4.1-1M","usage":{"input_tokens":1000,"output_tokens":1000}}""";

    /// <summary>Every /v1 endpoint, aimed at tenant acme's data.</summary>
    public static TheoryData<string, string, string?> Requests => new()
    {
        { "GET", "v1/tenants/acme", null },
        { "PATCH", "v1/tenants/acme", """{"strict":true}""" },
        { "GET", "v1/tenants/acme/users", null },
        { "POST", "v1/tenants/acme/users", """{"id":"mallory"}""" },
        { "POST", "v1/events", Event },
        { "POST", "v1/events/quote", Event },
        { "GET", "v1/tenants/acme/events/evt-1", null },
        { "POST", "v1/tenants/acme/reservations", """{"id":"steal","amount":5,"unit":"credits"}""" },
        { "GET", "v1/tenants/acme/reservations/held-1", null },
        { "POST", "v1/tenants/acme/reservations/held-1/settle", $$"""{"event":{{Event}}}""" },
        { "POST", "v1/tenants/acme/reservations/held-1/release", null },
        { "GET", "v1/tenants/acme/balances", null },
        { "GET", "v1/tenants/acme/transfers", null },
        { "POST", "v1/tenants/acme/topups", """{"id":"t","kind":"recharge","unit":"credits","amount":5}""" },
        { "POST", "v1/tenants/acme/free-quotas", """{"unit":"calls","limit":5}""" },
        { "POST", "v1/tenants/acme/adjustments", """{"account_id":1,"amount":5,"reason":"x"}""" },
        { "POST", "v1/tenants", """{"id":"new-tenant"}""" },
        { "POST", "v1/keys", """{"name":"k","tenant":"acme"}""" },
        { "GET", "v1/keys", null },
        { "DELETE", "v1/keys/anything", null },
        { "POST", "v1/price-books", "id: x" },
        { "POST", "v1/price-books/gptbots/versions", "version: x" },
        { "POST", "v1/price-books/gptbots/dry-run", "version: x" },
        { "GET", "v1/usage?tenant=acme", null },
        { "GET", "v1/tenants/acme/bills", null },
        { "GET", "v1/tenants/acme/bills/2025-12-31", null },
        { "GET", "v1/tenants/acme/bills/2025-12-31?format=html", null },
        { "POST", "v1/tenants/acme/bills", """{"cycle":"2025-12-31"}""" },
        { "POST", "v1/webhooks", """{"url":"http://127.0.0.1:9/steal","tenant":"acme"}""" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task A_foreign_tenant_key_gets_404_or_403_and_changes_nothing(string method, string path, string? body)
    {
        await using var server = await TestServer.StartAsync();
        await Samples.FundedTenantAsync(server, "acme");
        await server.Operator.RecordAsync(Samples.Llm("evt-1", "acme"));
        await server.Operator.ReserveAsync("acme", new ReservationRequest("held-1", Amount: 3m, Unit: "credits"));
        await Samples.FundedTenantAsync(server, "other");
        var foreign = await server.Operator.CreateKeyAsync(new KeyRequest("other's key", "other", CanRecord: true));
        var before = await Snapshot.TakeAsync(server, "acme", "other");

        using var http = server.Raw(foreign.Secret);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, body.StartsWith('{') ? "application/json" : "application/yaml");
        }

        using var response = await http.SendAsync(request);
        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("998.9", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await Snapshot.TakeAsync(server, "acme", "other"));
    }

    [Fact]
    public async Task A_batch_with_a_foreign_tenants_events_rejects_them_and_a_tenant_lists_only_itself()
    {
        await using var server = await TestServer.StartAsync();
        await Samples.FundedTenantAsync(server, "acme");
        await Samples.FundedTenantAsync(server, "other");
        var key = await server.Operator.CreateKeyAsync(new KeyRequest("other's key", "other", CanRecord: true));
        var client = server.ClientFor(key.Secret);
        var before = await Snapshot.TakeAsync(server, "acme");

        var batch = await client.RecordBatchAsync([Samples.Llm("a", "acme"), Samples.Llm("b", "other")]);
        Assert.Equal("unknown_tenant", batch.Results[0].Error!.Code);
        Assert.Equal("charged", batch.Results[1].Status);
        Assert.Equal(before, await Snapshot.TakeAsync(server, "acme"));
        Assert.Equal(["other"], (await client.ListTenantsAsync()).Tenants.Select(t => t.Id));
    }

    [Fact]
    public async Task A_read_only_tenant_key_reads_its_own_data_but_cannot_record_or_top_up()
    {
        await using var server = await TestServer.StartAsync();
        await Samples.FundedTenantAsync(server, "acme");
        var key = await server.Operator.CreateKeyAsync(new KeyRequest("dashboard", "acme"));
        var client = server.ClientFor(key.Secret);
        Assert.Equal(1000m, (await client.GetBalancesAsync("acme")).Accounts.Single().Available);
        var record = await Assert.ThrowsAsync<Client.TollgateException>(() => client.RecordAsync(Samples.Llm("r", "acme")));
        Assert.Equal(HttpStatusCode.Forbidden, record.Status);
        var topUp = await Assert.ThrowsAsync<Client.TollgateException>(() => client.TopUpAsync("acme", new TopUpRequest("t", TopUpKind.Recharge, "credits", 1m)));
        Assert.Equal(HttpStatusCode.Forbidden, topUp.Status);
        using var http = server.Raw(key.Secret);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.PostAsJsonAsync("v1/keys", new { name = "escalate" })).StatusCode);
    }

    [Fact]
    public async Task Requests_without_a_valid_key_get_401()
    {
        await using var server = await TestServer.StartAsync();
        foreach (var key in new string?[] { null, "tg_nope_nope", "Bearer", server.OperatorKey[..^1] + (server.OperatorKey[^1] == '0' ? "1" : "0") })
        {
            using var http = server.Raw(key);
            using var response = await http.GetAsync("v1/tenants");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("unauthorized", (await response.Content.ReadFromJsonAsync<Problem>())!.Code);
        }
    }
}
