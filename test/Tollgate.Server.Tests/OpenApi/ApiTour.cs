using System.Text;
using NodaTime;
using Tollgate.Client;
using Tollgate.Client.Contracts;

namespace Tollgate.Server.Tests.OpenApi;

/// <summary>
/// Calls every endpoint of the API the way users do (the typed client, and raw requests for the refusals): each
/// answer a success, and the problems each endpoint documents (401, 400, 402, 403, 404, 409, 413, 415, 422).
/// </summary>
internal static class ApiTour
{
    public static async Task RunAsync(TestServer server, Recorder recorder)
    {
        var op = new TollgateClient(recorder.Client(server.Address), server.OperatorKey);
        using var raw = recorder.Client(server.Address, server.OperatorKey);
        using var anonymous = recorder.Client(server.Address);

        // Tenants and end users; the issue's camelCase field is refused.
        await op.CreateTenantAsync(new TenantRequest("acme", TimeZone: "Asia/Shanghai", LowBalance: new Dictionary<string, decimal> { ["credits"] = 5m }));
        await op.CreateTenantAsync(new TenantRequest("poor", Strict: true, FundingOrder: FundingOrder.Priority, BillingCycle: BillingCycle.Monthly));
        await Refused(() => op.CreateTenantAsync(new TenantRequest("acme")));
        await PostAsync(raw, "v1/tenants", """{"id": "x", "timeZone": "UTC"}""");
        await PostAsync(raw, "v1/tenants", """{"id": "x", "time_zone": "Mars/Olympus"}""");
        await PostAsync(raw, "v1/tenants", "id: x", "text/plain");
        await op.UpdateTenantAsync("acme", new TenantRequest(UserDiscount: 0.95m, DiscountTiers: [new DiscountTier(100m, 0.9m)]));
        await op.GetTenantAsync("acme");
        await Refused(() => op.GetTenantAsync("nobody"));
        await op.ListTenantsAsync();
        await op.SaveEndUserAsync("acme", new EndUserRequest("user-1", "Ada"));
        await op.ListEndUsersAsync("acme");
        await anonymous.GetAsync("v1/tenants");

        // Balances.
        await op.TopUpAsync("acme", new TopUpRequest("order-1", TopUpKind.Recharge, "credits", 1000m, Bonus: 10m, Paid: 1000m));
        await op.TopUpAsync("acme", new TopUpRequest("order-1", TopUpKind.Recharge, "credits", 1000m, Bonus: 10m, Paid: 1000m));
        await Refused(() => op.TopUpAsync("acme", new TopUpRequest("order-1", TopUpKind.Grant, "credits", 5m)));
        await op.TopUpAsync("acme", new TopUpRequest("pack-1", TopUpKind.ResourcePack, "api_tokens", 5000m, ExpiresAt: Samples.Time.AddDays(30), Scope: new Scope(Models: ["GPT-4.1-1M"])));
        await op.AddFreeQuotaAsync("acme", new FreeQuotaRequest("credits", 1m, "day"));
        var account = (await op.GetBalancesAsync("acme")).Accounts[0];
        await op.AdjustAsync("acme", new AdjustmentRequest(account.AccountId, 2.5m, "goodwill"));
        await Refused(() => op.AdjustAsync("acme", new AdjustmentRequest(999_999, 1m, "no such account")));
        await PostAsync(raw, "v1/tenants/acme/topups", """{"id": "order-2", "unit": "credits", "amount": -5}""");

        // Usage: record, quote, batch, read; refusals by status.
        await op.RecordAsync(Samples.Llm("e1", "acme", subject: "user-1"));
        await op.RecordAsync(Samples.Llm("e1", "acme", subject: "user-1"));
        await Refused(() => op.RecordAsync(Samples.Llm("e1", "acme", input: 5)));
        await Refused(() => op.RecordAsync(Samples.Llm("e2", "acme", model: "no-such-model")));
        await Refused(() => op.RecordAsync(Samples.Llm("e3", "poor")));
        await PostAsync(raw, "v1/events", """{"id": "e4", "tenant": "acme"}""");
        await PostAsync(raw, "v1/events", "{not json");
        await op.QuoteAsync(Samples.Llm("q1", "acme"));
        await op.RecordBatchAsync([Samples.Llm("b1", "acme"), Samples.Llm("b2", "acme", model: "no-such-model")]);
        await PostAsync(raw, "v1/events/batch", "{\"events\": [" + string.Join(',', Enumerable.Repeat("{}", 6)) + "]}");
        await op.GetEventAsync("acme", "e1");
        await Refused(() => op.GetEventAsync("acme", "never"));
        await op.GetTransfersAsync("acme", limit: 2);
        await raw.GetAsync("v1/tenants/acme/transfers?cursor=oops");
        await op.GetUsageAsync(new UsageQuery("acme", GroupBy: ["model", "subject"], Bucket: "day"));
        await raw.GetAsync("v1/usage?bucket=week");

        // Reservations.
        await op.ReserveAsync("acme", new ReservationRequest("r1", 5m, "credits"));
        await op.ReserveAsync("acme", new ReservationRequest("r2", Estimate: Samples.Llm("r2", "acme"), TimeoutSeconds: 60));
        await Refused(() => op.ReserveAsync("poor", new ReservationRequest("r3", 5m, "credits")));
        await op.GetReservationAsync("acme", "r1");
        await op.SettleAsync("acme", "r1", Samples.Llm("r1", "acme"));
        await op.ReleaseAsync("acme", "r2");
        await Refused(() => op.ReleaseAsync("acme", "r1"));
        await Refused(() => op.GetReservationAsync("acme", "never"));

        // Keys: a tenant key may not manage keys.
        var key = await op.CreateKeyAsync(new KeyRequest("acme reader", "acme"));
        await op.ListKeysAsync("acme");
        await Refused(() => new TollgateClient(recorder.Client(server.Address), key.Secret).ListKeysAsync());
        await op.RevokeKeyAsync(key.Key.Id);
        await Refused(() => op.RevokeKeyAsync("never"));

        await PriceBooksAsync(op, raw);
        await GatewayKeysAsync(raw);
        await BillsAndWebhooksAsync(server, op);
        await raw.GetAsync("healthz");
        await raw.GetAsync("readyz");
    }

    /// <summary>
    /// Every operation of the document, called with its example body by a key that may only read tenant acme and by
    /// no key at all: whatever the server answers must be documented.
    /// </summary>
    public static async Task SweepAsync(ApiDocument document, TestServer server, Recorder recorder)
    {
        var op = new TollgateClient(recorder.Client(server.Address), server.OperatorKey);
        var reader = await op.CreateKeyAsync(new KeyRequest("sweeper", "acme"));
        using var tenantKey = recorder.Client(server.Address, reader.Secret);
        using var anonymous = recorder.Client(server.Address);
        foreach (var operation in document.Operations)
        {
            var path = operation.Path.TrimStart('/').Replace("{tenant}", "acme", StringComparison.Ordinal)
                .Replace("{id}", "x", StringComparison.Ordinal).Replace("{deliveryId}", "x", StringComparison.Ordinal);
            var example = operation.RequestContent?["application/json"]?["example"]?.ToString(Newtonsoft.Json.Formatting.None);
            foreach (var http in new[] { tenantKey, anonymous })
            {
                using var request = new HttpRequestMessage(new HttpMethod(operation.Method), path);
                if (example is not null)
                {
                    request.Content = new StringContent(example, Encoding.UTF8, "application/json");
                }

                (await http.SendAsync(request)).Dispose();
            }
        }
    }

    private static async Task PriceBooksAsync(TollgateClient op, HttpClient raw)
    {
        var yaml = """
            id: my-book
            name: My book
            versions:
              - version: "1"
                effective_from: 2026-02-01T00:00:00Z
                settlement: { unit: USD, scale: 6 }
                groups:
                  - types: [llm_text]
                    per: 1M
                    items:
                      - { model: my-model, prices: { input_tokens: 3, output_tokens: 15 } }
            """;
        await op.CreatePriceBookAsync(yaml);
        await Refused(() => op.CreatePriceBookAsync(yaml));
        await op.AddPriceBookVersionAsync("my-book", """
            version: "2"
            effective_from: 2026-03-01T00:00:00Z
            settlement: { unit: USD, scale: 6 }
            groups:
              - types: [llm_text]
                per: 1M
                items:
                  - { model: my-model, prices: { input_tokens: 2.5, output_tokens: 12 } }
            """);
        await PostAsync(raw, "v1/price-books", """
            {"id": "json-book", "name": "JSON book", "versions": [
              {"version": "1", "effective_from": "2026-02-01T00:00:00Z", "settlement": {"unit": "USD", "scale": 6},
               "groups": [{"types": ["llm_text"], "per": "1M", "items": [{"model": "my-model", "prices": {"input_tokens": 3, "output_tokens": 15}}]}]}]}
            """);
        await op.ListPriceBooksAsync();
        await op.GetPriceBookAsync("gptbots");
        await Refused(() => op.GetPriceBookAsync("never"));
        await op.DryRunAsync("gptbots", ApiTests.VersionYaml("dry", Samples.Time.AddYears(1), 0.5m), "acme");
    }

    private static async Task GatewayKeysAsync(HttpClient raw)
    {
        using var created = await raw.PostAsync("v1/tenants/acme/gateway-keys", new StringContent(
            """{"name":"app","subject":"dave","channel":"api","models":["GPT-4.1-1M"],"budget":{"limit":"50","period":"day"},"requests_per_minute":60}""",
            Encoding.UTF8,
            "application/json"));
        var id = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        await PostAsync(raw, "v1/tenants/acme/gateway-keys", """{"name":""}""");
        (await raw.GetAsync("v1/tenants/acme/gateway-keys")).Dispose();
        (await raw.DeleteAsync($"v1/tenants/acme/gateway-keys/{id}")).Dispose();
        (await raw.DeleteAsync("v1/tenants/acme/gateway-keys/never")).Dispose();
        (await raw.PutAsync("v1/tenants/acme/gateway-user-budgets/dave", new StringContent("""{"limit":"20","period":"month"}""", Encoding.UTF8, "application/json"))).Dispose();
        (await raw.PutAsync("v1/tenants/acme/gateway-user-budgets/dave", new StringContent("""{"limit":"-1","period":"month"}""", Encoding.UTF8, "application/json"))).Dispose();
        (await raw.GetAsync("v1/tenants/acme/gateway-user-budgets")).Dispose();
        (await raw.DeleteAsync("v1/tenants/acme/gateway-user-budgets/dave")).Dispose();
        (await raw.DeleteAsync("v1/tenants/acme/gateway-user-budgets/dave")).Dispose();
    }

    private static async Task BillsAndWebhooksAsync(TestServer server, TollgateClient op)
    {
        var hook = await op.CreateWebhookAsync(new WebhookRequest("http://127.0.0.1:9/hook", "acme", ["bill_issued"]));
        await Refused(() => op.CreateWebhookAsync(new WebhookRequest("ftp://example.com")));
        await Refused(() => op.IssueBillAsync("acme", new IssueBillRequest(new DateOnly(2026, 1, 1))));
        server.Clock.Set(Instant.FromUtc(2026, 1, 1, 16, 0, 1));
        await op.IssueBillAsync("acme", new IssueBillRequest(new DateOnly(2026, 1, 1)));
        await op.ListBillsAsync("acme");
        await op.GetBillAsync("acme", "2026-01-01");
        await op.ExportBillAsync("acme", "2026-01-01", "csv");
        await op.ExportBillAsync("acme", "2026-01-01", "html");
        await Refused(() => op.ExportBillAsync("acme", "2026-01-01", "pdf"));
        await Refused(() => op.GetBillAsync("acme", "1999-01-01"));
        await op.ListWebhooksAsync();
        var delivery = (await op.ListDeliveriesAsync(hook.Id)).Deliveries[0];
        await op.ReplayDeliveryAsync(hook.Id, delivery.Id);
        await Refused(() => op.ReplayDeliveryAsync(hook.Id, "never"));
        await op.DeleteWebhookAsync(hook.Id);
        await Refused(() => op.ListDeliveriesAsync(hook.Id));
    }

    private static async Task PostAsync(HttpClient http, string path, string body, string mediaType = "application/json") =>
        (await http.PostAsync(path, new StringContent(body, Encoding.UTF8, mediaType))).Dispose();

    /// <summary>A call the server refuses; the recorder keeps its problem for validation.</summary>
    private static async Task Refused<T>(Func<Task<T>> call) => await Assert.ThrowsAsync<TollgateException>(call);
}
