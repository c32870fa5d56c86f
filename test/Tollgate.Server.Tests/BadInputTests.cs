using System.Net.Http.Json;
using System.Text;
using Tollgate.Client.Contracts;

namespace Tollgate.Server.Tests;

/// <summary>Each endpoint's bad input: a 4xx problem that names the code and the field, and nothing changed.</summary>
public sealed class BadInputTests
{
    private const string Good = """{"id":"e","tenant":"acme","time":"2026-01-01T08:00:00+08:00","type":"llm_text","model":"GPT-4.1-1M","usage":{"input_tokens":1000}}""";

    public static TheoryData<string, string, string, int, string, string?> Cases => new()
    {
        // Usage events
        { "POST", "v1/events", "{\"id\":", 400, "malformed_json", "$" },
        { "POST", "v1/events", "[]", 400, "malformed_json", "$" },
        { "POST", "v1/events", Good.Replace("1000", "-5", StringComparison.Ordinal), 400, "negative_quantity", "usage.input_tokens" },
        { "POST", "v1/events", Good.Replace("1000", "10000000000000", StringComparison.Ordinal), 400, "quantity_too_large", "usage.input_tokens" },
        { "POST", "v1/events", Good.Replace("1000", "\"lots\"", StringComparison.Ordinal), 400, "invalid_field", "usage.input_tokens" },
        { "POST", "v1/events", Good.Replace("\"llm_text\"", "42", StringComparison.Ordinal), 400, "invalid_field", "type" },
        { "POST", "v1/events", Good.Replace("\"id\":\"e\",", "", StringComparison.Ordinal), 400, "missing_field", "id" },
        { "POST", "v1/events", Good.Replace("}}", "},\"colour\":\"red\"}", StringComparison.Ordinal), 400, "invalid_field", "colour" },
        { "POST", "v1/events", Good.Replace("acme", "nobody", StringComparison.Ordinal), 404, "unknown_tenant", "tenant" },
        { "POST", "v1/events", Good.Replace("GPT-4.1-1M", "gpt-imaginary", StringComparison.Ordinal), 422, "unknown_model", "model" },
        { "POST", "v1/events/batch", "{\"events\":{}}", 400, "missing_field", "events" },
        { "POST", "v1/events/batch", "{\"events\":[],\"extra\":1}", 400, "invalid_field", "extra" },
        { "POST", "v1/events/batch", "{\"events\":[" + string.Join(',', Enumerable.Repeat(Good, 5001)) + "]}", 413, "batch_too_large", "events" },
        { "POST", "v1/events/quote", Good.Replace("2026-01-01T08:00:00+08:00", "yesterday", StringComparison.Ordinal), 400, "invalid_field", "time" },

        // Reservations
        { "POST", "v1/tenants/acme/reservations", "{\"id\":\"r\",\"amount\":-1,\"unit\":\"credits\"}", 400, "invalid_field", "amount" },
        { "POST", "v1/tenants/acme/reservations", "{\"id\":\"r\",\"amount\":1.123456789,\"unit\":\"credits\"}", 400, "invalid_field", "amount" },
        { "POST", "v1/tenants/acme/reservations", "{\"id\":\"r\"}", 400, "missing_field", "amount" },
        { "POST", "v1/tenants/acme/reservations", "{\"id\":\"r\",\"amount\":1,\"unit\":\"credits\",\"timeout_seconds\":0}", 400, "invalid_field", "timeout_seconds" },
        { "POST", "v1/tenants/acme/reservations", "{\"id\":\"r\",\"estimate\":" + Good.Replace("acme", "other", StringComparison.Ordinal) + "}", 400, "invalid_field", "estimate.tenant" },
        { "POST", "v1/tenants/acme/reservations", "{\"id\":\"r\",\"amount\":\"ten\",\"unit\":\"credits\"}", 400, "invalid_field", "amount" },
        { "POST", "v1/tenants/acme/reservations/nope/settle", "{\"event\":" + Good + "}", 404, "hold_not_found", "hold_id" },
        { "POST", "v1/tenants/acme/reservations/nope/settle", "{}", 400, "missing_field", "event" },
        { "POST", "v1/tenants/acme/reservations/nope/release", "", 404, "hold_not_found", "hold_id" },
        { "GET", "v1/tenants/acme/reservations/nope", "", 404, "hold_not_found", null },

        // Tenants
        { "POST", "v1/tenants", "{\"id\":\"bad tenant!\"}", 400, "invalid_field", "id" },
        { "POST", "v1/tenants", "{\"id\":\"acme\"}", 409, "tenant_exists", "id" },
        { "POST", "v1/tenants", "{\"id\":\"t2\",\"time_zone\":\"Mars/Olympus\"}", 400, "invalid_field", "time_zone" },
        { "POST", "v1/tenants", "{\"id\":\"t2\",\"price_book\":\"nope\"}", 400, "unknown_price_book", "price_book" },
        { "POST", "v1/tenants", "{\"id\":\"t2\",\"funding_order\":\"random\"}", 400, "invalid_field", "funding_order" },
        { "PATCH", "v1/tenants/acme", "{\"user_discount\":1.5}", 400, "invalid_field", "user_discount" },
        { "PATCH", "v1/tenants/acme", "{\"plan\":\"gold\"}", 400, "invalid_field", "plan" },
        { "PATCH", "v1/tenants/acme", "{\"strict\":\"yes\"}", 400, "invalid_field", "strict" },
        { "PATCH", "v1/tenants/nobody", "{\"strict\":true}", 404, "not_found", "tenant" },
        { "POST", "v1/tenants/acme/users", "{\"name\":\"no id\"}", 400, "missing_field", "id" },
        { "GET", "v1/tenants/nobody/users", "", 404, "not_found", "tenant" },
        { "GET", "v1/tenants/acme/events/never-sent", "", 404, "not_found", "id" },

        // Balances, ledger, top-ups
        { "GET", "v1/tenants/nobody/balances", "", 404, "not_found", "tenant" },
        { "GET", "v1/tenants/acme/transfers?cursor=abc", "", 400, "invalid_field", "cursor" },
        { "GET", "v1/tenants/acme/transfers?from=last-week", "", 400, "invalid_field", "from" },
        { "GET", "v1/tenants/acme/transfers?limit=100000", "", 400, "invalid_field", "limit" },
        { "POST", "v1/tenants/acme/topups", "{\"id\":\"t\",\"kind\":\"recharge\",\"unit\":\"credits\",\"amount\":0}", 400, "invalid_field", "amount" },
        { "POST", "v1/tenants/acme/topups", "{\"id\":\"t\",\"kind\":\"refund\",\"unit\":\"credits\",\"amount\":5}", 400, "invalid_field", "kind" },
        { "POST", "v1/tenants/acme/topups", "{\"id\":\"t\",\"kind\":\"grant\",\"unit\":\"credits\",\"amount\":1e20}", 400, "invalid_field", "amount" },
        { "POST", "v1/tenants/acme/topups", "{\"id\":\"t\",\"kind\":\"grant\",\"unit\":\"credits\",\"amount\":5,\"bonus\":1}", 400, "invalid_field", "bonus" },
        { "POST", "v1/tenants/nobody/topups", "{\"id\":\"t\",\"kind\":\"recharge\",\"unit\":\"credits\",\"amount\":5}", 404, "not_found", "tenant" },
        { "POST", "v1/tenants/acme/free-quotas", "{\"unit\":\"calls\",\"limit\":5,\"period\":\"week\"}", 400, "invalid_field", "period" },
        { "POST", "v1/tenants/acme/adjustments", "{\"account_id\":1,\"amount\":5}", 400, "missing_field", "reason" },
        { "POST", "v1/tenants/acme/adjustments", "{\"account_id\":999,\"amount\":5,\"reason\":\"x\"}", 404, "unknown_account", "account_id" },
        { "POST", "v1/tenants/acme/adjustments", "{\"account_id\":1,\"amount\":-5000,\"reason\":\"x\"}", 400, "invalid_field", "amount" },

        // Keys and price books
        { "POST", "v1/keys", "{\"name\":\"\"}", 400, "missing_field", "name" },
        { "POST", "v1/keys", "{\"name\":\"k\",\"tenant\":\"nobody\"}", 400, "unknown_tenant", "tenant" },
        { "DELETE", "v1/keys/nope", "", 404, "not_found", "id" },
        { "POST", "v1/price-books", "id: x\nname: [", 400, "invalid_price_book", null },
        { "POST", "v1/price-books", "id: x\nversions: []", 400, "invalid_price_book", "versions" },
        { "POST", "v1/price-books/gptbots/versions", "version: \"9\"\neffective_from: 2030-01-01T00:00:00Z\nsettlement: { unit: credits }\ngroups: [{ types: [llm_text], items: [{ model: m, prices: { input_tokens: -1 } }] }]", 400, "invalid_price_book", null },
        { "POST", "v1/price-books/nope/versions", "version: x", 404, "unknown_price_book", null },
        { "POST", "v1/price-books/gptbots/dry-run?from=soon", "version: x", 400, "invalid_field", "from" },
        { "GET", "v1/price-books/nope", "", 404, "not_found", "id" },
        { "GET", "v1/no-such-thing", "", 404, "not_found", null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_is_a_4xx_problem_naming_the_field_and_changes_nothing(string method, string path, string body, int status, string code, string? field)
    {
        await using var server = await TestServer.StartAsync();
        await Samples.FundedTenantAsync(server, "acme");
        var before = await Snapshot.TakeAsync(server, "acme");

        using var http = server.Raw(server.OperatorKey);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body.Length > 0)
        {
            request.Content = new StringContent(body, Encoding.UTF8, path.Contains("price-books", StringComparison.Ordinal) ? "application/yaml" : "application/json");
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"{method} {path}: expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = System.Text.Json.JsonSerializer.Deserialize<Problem>(text, Client.TollgateJson.Lenient)!;
        Assert.Equal(code, problem.Code);
        if (field is not null)
        {
            Assert.Equal(field, problem.Field);
        }

        Assert.False(string.IsNullOrWhiteSpace(problem.Detail));
        Assert.Equal(before, await Snapshot.TakeAsync(server, "acme"));
    }

    [Fact]
    public async Task Oversized_bodies_and_wrong_content_types_are_refused()
    {
        await using var server = await TestServer.StartAsync(configure: o => o with { MaxBodyBytes = 64 * 1024 });
        await Samples.FundedTenantAsync(server, "acme");
        using var http = server.Raw(server.OperatorKey);
        using var big = await http.PostAsync("v1/events", new StringContent("{\"id\":\"" + new string('x', 100_000) + "\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(413, (int)big.StatusCode);
        Assert.Equal("body_too_large", (await big.Content.ReadFromJsonAsync<Problem>())!.Code);
        using var form = await http.PostAsync("v1/events", new StringContent(Good, Encoding.UTF8, "text/plain"));
        Assert.Equal(415, (int)form.StatusCode);
        Assert.Equal("unsupported_media_type", (await form.Content.ReadFromJsonAsync<Problem>())!.Code);
    }
}
