using System.Net;
using System.Net.Http.Json;
using NodaTime;
using Tollgate.Client;
using Tollgate.Client.Contracts;
using Tollgate.Testing;

namespace Tollgate.Server.Tests;

/// <summary>Every endpoint's success path, over real HTTP with the typed client, on both engines where it matters.</summary>
public sealed class ApiTests
{
    [Theory]
    [MemberData(nameof(TestServer.Engines), MemberType = typeof(TestServer))]
    public async Task Record_charges_once_and_returns_the_charge_and_remaining_balance(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        await Samples.FundedTenantAsync(server, "acme");

        var result = await server.Operator.RecordAsync(Samples.Llm("evt-1", "acme"));
        Assert.Equal("charged", result.Status);
        Assert.Equal(1.1m, result.Charge!.Total);
        Assert.Equal("gptbots@1", result.Charge.PriceBook);
        Assert.Equal(998.9m, Assert.Single(result.Balances!).Available);

        var again = await server.Operator.RecordAsync(Samples.Llm("evt-1", "acme"));
        Assert.True(again.Duplicate);
        Assert.Equal(1.1m, again.Charge!.Total);
        Assert.Equal(998.9m, (await server.Operator.GetBalancesAsync("acme")).Accounts.Single().Available);

        var stored = await server.Operator.GetEventAsync("acme", "evt-1");
        Assert.Equal("charged", stored.Status);
        Assert.Equal("GPT-4.1-1M", stored.Event!.Value.GetProperty("model").GetString());
        Assert.Equal(1.1m, stored.Result.Charge!.Total);
    }

    [Theory]
    [MemberData(nameof(TestServer.Engines), MemberType = typeof(TestServer))]
    public async Task Batch_returns_a_result_per_item_in_order(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        await Samples.FundedTenantAsync(server, "acme");
        await server.Operator.RecordAsync(Samples.Llm("dup", "acme"));

        var events = Enumerable.Range(0, 1000).Select(i => Samples.Llm($"b-{i}", "acme", input: 1000, output: 0)).ToList();
        events[10] = Samples.Llm("dup", "acme");
        events[20] = Samples.Llm("bad", "acme", model: "no-such-model");
        var batch = await server.Operator.RecordBatchAsync(events);

        Assert.Equal(1000, batch.Results.Count);
        Assert.Equal(998, batch.Charged);
        Assert.Equal(1, batch.Duplicates);
        Assert.Equal(1, batch.Rejected);
        Assert.True(batch.Results[10].Duplicate);
        Assert.Equal("unknown_model", batch.Results[20].Error!.Code);
        Assert.Equal("b-999", batch.Results[999].Id);
        var balance = (await server.Operator.GetBalancesAsync("acme")).Accounts.Single();
        Assert.Equal(1000m - 1.1m - (998 * 0.22m), balance.Posted);
    }

    [Theory]
    [MemberData(nameof(TestServer.Engines), MemberType = typeof(TestServer))]
    public async Task Concurrent_single_requests_are_committed_together_each_once(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        await Samples.FundedTenantAsync(server, "acme");

        // 100 ids, each sent three times at once (twice the same, once with another body), all concurrently.
        var sends = Enumerable.Range(0, 100).SelectMany(i => new[] { Samples.Llm($"c{i}", "acme"), Samples.Llm($"c{i}", "acme"), Samples.Llm($"c{i}", "acme", input: 5) });
        var answers = await Task.WhenAll(sends.Select(e => Task.Run(async () =>
        {
            try
            {
                return (Event: e, Outcome: (await server.Operator.RecordAsync(e)).Duplicate ? "duplicate" : "charged");
            }
            catch (TollgateException ex)
            {
                return (Event: e, Outcome: ex.Code!);
            }
        })));

        Assert.All(answers.GroupBy(a => a.Event.Id), g => Assert.Equal(1, g.Count(a => a.Outcome == "charged")));
        Assert.Equal(200, answers.Count(a => a.Outcome is "duplicate" or "idempotency_conflict"));
        var expected = answers.Where(a => a.Outcome == "charged").Sum(a => (0.22m * a.Event.Usage!["input_tokens"] / 1000) + 0.88m);
        Assert.Equal(expected, 1000m - (await server.Operator.GetBalancesAsync("acme")).Accounts.Single().Posted);
        Assert.True((await server.Store.CheckAsync()).Clean);
    }

    [Fact]
    public async Task Batch_items_of_several_tenants_each_carry_their_payers_balances()
    {
        await using var server = await TestServer.StartAsync();
        await Samples.FundedTenantAsync(server, "acme");
        await Samples.FundedTenantAsync(server, "beta", credits: 500m);

        var batch = await server.Operator.RecordBatchAsync([Samples.Llm("x", "acme", model: "no-such-model"), Samples.Llm("y", "beta")]);

        Assert.Equal("rejected", batch.Results[0].Status);
        Assert.Equal(498.9m, Assert.Single(batch.Results[1].Balances!).Available);
    }

    [Fact]
    public async Task Quote_prices_without_charging()
    {
        await using var server = await TestServer.StartAsync();
        await Samples.FundedTenantAsync(server, "acme");
        var quote = await server.Operator.QuoteAsync(Samples.Llm("q-1", "acme", 10_000, 2_000));
        Assert.Equal(2.2m + 1.76m, quote.Amount);
        Assert.Equal("developer", quote.Payer);
        Assert.Equal(1000m, (await server.Operator.GetBalancesAsync("acme")).Accounts.Single().Available);
        var missing = await Assert.ThrowsAsync<TollgateException>(() => server.Operator.GetEventAsync("acme", "q-1"));
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
    }

    [Theory]
    [MemberData(nameof(TestServer.Engines), MemberType = typeof(TestServer))]
    public async Task Reserve_then_settle_captures_the_real_cost_and_releases_the_rest(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        await Samples.FundedTenantAsync(server, "acme");

        var held = await server.Operator.ReserveAsync("acme", new ReservationRequest("call-1", Amount: 5m, Unit: "credits"));
        Assert.Equal("held", held.Status);
        var during = (await server.Operator.GetBalancesAsync("acme")).Accounts.Single();
        Assert.Equal(5m, during.Held);
        Assert.Equal(995m, during.Available);

        var settled = await server.Operator.SettleAsync("acme", "call-1", Samples.Llm("call-1-usage", "acme"));
        Assert.Equal("charged", settled.Status);
        Assert.Equal(1.1m, settled.Amount);
        var after = (await server.Operator.GetBalancesAsync("acme")).Accounts.Single();
        Assert.Equal(0m, after.Held);
        Assert.Equal(998.9m, after.Available);
        Assert.Equal("settled", (await server.Operator.GetReservationAsync("acme", "call-1")).Status);

        var estimated = await server.Operator.ReserveAsync("acme", new ReservationRequest("call-2", Estimate: Samples.Llm("call-2-estimate", "acme", 10_000, 10_000)));
        Assert.Equal(11m, estimated.Amount);
        var released = await server.Operator.ReleaseAsync("acme", "call-2");
        Assert.Equal("released", released.Status);
        Assert.Equal(998.9m, (await server.Operator.GetBalancesAsync("acme")).Accounts.Single().Available);
    }

    [Fact]
    public async Task A_reservation_expires_by_itself()
    {
        await using var server = await TestServer.StartAsync();
        await Samples.FundedTenantAsync(server, "acme");
        await server.Operator.ReserveAsync("acme", new ReservationRequest("short", Amount: 7m, Unit: "credits", TimeoutSeconds: 60));
        server.Clock.Advance(Duration.FromMinutes(2));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await server.Operator.GetReservationAsync("acme", "short")).Status == "held" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal("expired", (await server.Operator.GetReservationAsync("acme", "short")).Status);
        Assert.Equal(1000m, (await server.Operator.GetBalancesAsync("acme")).Accounts.Single().Available);
    }

    [Fact]
    public async Task Strict_tenant_gets_402_and_nothing_is_charged()
    {
        await using var server = await TestServer.StartAsync();
        await Samples.FundedTenantAsync(server, "tight", credits: 1m, strict: true);
        var refused = await Assert.ThrowsAsync<TollgateException>(() => server.Operator.RecordAsync(Samples.Llm("big", "tight")));
        Assert.Equal(HttpStatusCode.PaymentRequired, refused.Status);
        Assert.Equal("insufficient_funds", refused.Code);
        var reserve = await Assert.ThrowsAsync<TollgateException>(() => server.Operator.ReserveAsync("tight", new ReservationRequest("r", Amount: 2m, Unit: "credits")));
        Assert.Equal(HttpStatusCode.PaymentRequired, reserve.Status);
        Assert.Equal(1m, (await server.Operator.GetBalancesAsync("tight")).Accounts.Single().Available);
    }

    [Fact]
    public async Task Top_ups_grants_packs_free_quotas_and_adjustments()
    {
        await using var server = await TestServer.StartAsync();
        await server.Operator.CreateTenantAsync(new TenantRequest("acme"));

        var recharge = await server.Operator.TopUpAsync("acme", new TopUpRequest("r1", TopUpKind.Recharge, "credits", 1000m, Bonus: 100m, Paid: 10m));
        Assert.NotNull(recharge.BonusAccountId);
        var repeat = await server.Operator.TopUpAsync("acme", new TopUpRequest("r1", TopUpKind.Recharge, "credits", 1000m, Bonus: 100m, Paid: 10m));
        Assert.True(repeat.Duplicate);
        var conflict = await Assert.ThrowsAsync<TollgateException>(() => server.Operator.TopUpAsync("acme", new TopUpRequest("r1", TopUpKind.Recharge, "credits", 5m)));
        Assert.Equal(HttpStatusCode.Conflict, conflict.Status);
        Assert.Equal("idempotency_conflict", conflict.Code);

        await server.Operator.TopUpAsync("acme", new TopUpRequest("g1", TopUpKind.Grant, "credits", 50m, ExpiresAt: Samples.Time.AddDays(30)));
        await server.Operator.TopUpAsync("acme", new TopUpRequest("p1", TopUpKind.ResourcePack, "tokens", 1_000_000m, Scope: new Scope(Models: ["GPT-4.1-1M"]), ExpiresAt: Samples.Time.AddDays(30)));
        var quota = await server.Operator.AddFreeQuotaAsync("acme", new FreeQuotaRequest("calls", 30m, "day"));

        var balances = await server.Operator.GetBalancesAsync("acme");
        Assert.Equal(1150m, balances.Accounts.Where(a => a.Unit == "credits").Sum(a => a.Available));
        Assert.Contains(balances.Accounts, a => a.Kind == "resource_pack" && a.Available == 1_000_000m);
        Assert.Contains(balances.Accounts, a => a.AccountId == quota.AccountId && a.Kind == "free_quota" && a.Available == 30m);
        Assert.Equal(10m, (await server.Operator.GetTenantAsync("acme")).CumulativeRecharge);

        var adjusted = await server.Operator.AdjustAsync("acme", new AdjustmentRequest(recharge.AccountId, -25m, "double top-up by support"));
        Assert.Equal(975m, adjusted.Accounts.Single(a => a.AccountId == recharge.AccountId).Available);
        var page = await server.Operator.GetTransfersAsync("acme", limit: 1000);
        Assert.Contains(page.Transfers, t => t.Kind == "adjustment" && t.EventId!.Contains("double top-up by support", StringComparison.Ordinal) && t.EventId.Contains("key:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Transfers_page_with_a_cursor_and_filter_by_time()
    {
        await using var server = await TestServer.StartAsync();
        await Samples.FundedTenantAsync(server, "acme");
        for (var i = 0; i < 5; i++)
        {
            await server.Operator.RecordAsync(Samples.Llm($"e{i}", "acme"));
        }

        var start = server.Clock.GetCurrentInstant().ToDateTimeOffset();
        server.Clock.Advance(Duration.FromHours(1));
        await server.Operator.RecordAsync(Samples.Llm("late", "acme"));

        var seen = new List<LedgerTransfer>();
        string? cursor = null;
        do
        {
            var page = await server.Operator.GetTransfersAsync("acme", cursor, limit: 2);
            Assert.True(page.Transfers.Count <= 2);
            seen.AddRange(page.Transfers);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(7, seen.Count);
        Assert.Equal(seen.Select(t => t.Id).Order(), seen.Select(t => t.Id));
        var later = await server.Operator.GetTransfersAsync("acme", from: start.AddMinutes(30));
        Assert.Equal("late", Assert.Single(later.Transfers).EventId);
        var earlier = await server.Operator.GetTransfersAsync("acme", to: start.AddMinutes(30));
        Assert.Equal(6, earlier.Transfers.Count);
    }

    [Fact]
    public async Task Tenants_are_created_updated_listed_and_have_end_users()
    {
        await using var server = await TestServer.StartAsync();
        var created = await server.Operator.CreateTenantAsync(new TenantRequest("acme", TimeZone: "Asia/Shanghai", PriceBook: "coze-credits", Plan: "premium"));
        Assert.Equal("coze-credits", created.PriceBook);
        Assert.Equal(["store"], created.FreeChannels);

        var updated = await server.Operator.UpdateTenantAsync("acme", new TenantRequest(
            UserDiscount: 0.9m, FundingOrder: FundingOrder.BonusFirst, Strict: true, MessageBilling: true, FreeChannels: ["store", "editor"],
            ChannelUnits: new Dictionary<string, string> { ["api"] = "api_tokens" }, UnitRates: new Dictionary<string, decimal> { ["credits->api_tokens"] = 1m }));
        Assert.Equal("Asia/Shanghai", updated.TimeZone);
        Assert.Equal(0.9m, updated.UserDiscount);
        Assert.Equal(FundingOrder.BonusFirst, updated.FundingOrder);
        Assert.True(updated.Strict && updated.MessageBilling);
        Assert.Equal("api_tokens", updated.ChannelUnits["api"]);
        Assert.Equal(Json(updated), Json(await server.Operator.GetTenantAsync("acme")));
        Assert.Single((await server.Operator.ListTenantsAsync()).Tenants);

        await server.Operator.SaveEndUserAsync("acme", new EndUserRequest("alice", "Alice"));
        await server.Operator.SaveEndUserAsync("acme", new EndUserRequest("alice", "Alice L."));
        Assert.Equal("Alice L.", Assert.Single((await server.Operator.ListEndUsersAsync("acme")).Users).Name);
    }

    [Fact]
    public async Task Message_billing_charges_the_end_user()
    {
        await using var server = await TestServer.StartAsync();
        await server.Operator.CreateTenantAsync(new TenantRequest("acme", MessageBilling: true));
        await server.Operator.TopUpAsync("acme", new TopUpRequest("alice-1", TopUpKind.Recharge, "credits", 10m, Owner: "alice"));
        var result = await server.Operator.RecordAsync(Samples.Llm("m1", "acme", subject: "alice"));
        Assert.Equal("end_user:alice", result.Payer);
        Assert.Equal(8.9m, Assert.Single(result.Balances!).Available);
    }

    [Fact]
    public async Task Keys_are_shown_once_listed_without_secrets_and_revocable()
    {
        await using var server = await TestServer.StartAsync();
        await server.Operator.CreateTenantAsync(new TenantRequest("acme"));
        var created = await server.Operator.CreateKeyAsync(new KeyRequest("acme reader", "acme"));
        Assert.StartsWith("tg_", created.Secret, StringComparison.Ordinal);
        var tenantClient = server.ClientFor(created.Secret);
        Assert.Equal("acme", (await tenantClient.GetTenantAsync("acme")).Id);

        var listed = await server.Operator.ListKeysAsync("acme");
        Assert.Equal(created.Key.Id, Assert.Single(listed.Keys).Id);
        using (var raw = server.Raw(server.OperatorKey))
        {
            Assert.DoesNotContain(created.Secret[^20..], await raw.GetStringAsync("v1/keys"), StringComparison.Ordinal);
        }

        var revoked = await server.Operator.RevokeKeyAsync(created.Key.Id);
        Assert.NotNull(revoked.RevokedAt);
        var refused = await Assert.ThrowsAsync<TollgateException>(() => tenantClient.GetTenantAsync("acme"));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
    }

    [Fact]
    public async Task Price_books_get_new_versions_that_rate_later_events_only()
    {
        await using var server = await TestServer.StartAsync();
        await Samples.FundedTenantAsync(server, "acme");
        await server.Operator.RecordAsync(Samples.Llm("before", "acme"));

        var effective = server.Clock.GetCurrentInstant().Plus(Duration.FromDays(1)).ToDateTimeOffset();
        var version = VersionYaml("2", effective, 0.44m);
        var dryRun = await server.Operator.DryRunAsync("gptbots", version);
        Assert.Equal(1, dryRun.Events);
        Assert.Equal(1, dryRun.Changed);
        var credits = Assert.Single(dryRun.Totals);
        Assert.Equal(1.1m, credits.Current);
        Assert.Equal(0.44m + 0.88m, credits.Candidate);

        var book = await server.Operator.AddPriceBookVersionAsync("gptbots", version);
        Assert.Equal(["1", "2"], book.Versions.Select(v => v.Version));

        var later = Samples.Llm("after", "acme") with { Time = effective.AddHours(1) };
        Assert.Equal(1.32m, (await server.Operator.RecordAsync(later)).Amount);
        Assert.Equal(1.1m, (await server.Operator.RecordAsync(Samples.Llm("old-time", "acme"))).Amount);
        Assert.Equal(1.1m, (await server.Operator.GetEventAsync("acme", "before")).Result.Amount);

        var past = await Assert.ThrowsAsync<TollgateException>(() => server.Operator.AddPriceBookVersionAsync("gptbots", VersionYaml("3", effective.AddDays(-2), 1m)));
        Assert.Equal("effective_in_past", past.Code);
        var document = await server.Operator.GetPriceBookAsync("gptbots");
        Assert.Equal(2, document.Document!.Value.GetProperty("versions").GetArrayLength());
    }

    [Fact]
    public async Task A_version_added_through_one_node_is_in_force_on_another()
    {
        var shared = await TestPostgres.NewSchemaAsync("books");
        await using var first = await TestServer.StartAsync(TestServer.Postgres, o => o with { Postgres = shared });
        await using var second = await TestServer.StartAsync(TestServer.Postgres, o => o with { Postgres = shared, BootstrapKey = null });
        var client = second.ClientFor(first.OperatorKey);
        Assert.Single((await client.GetPriceBookAsync("gptbots")).Versions);

        var effective = first.Clock.GetCurrentInstant().Plus(Duration.FromDays(1)).ToDateTimeOffset();
        await first.Operator.AddPriceBookVersionAsync("gptbots", VersionYaml("2", effective, 0.44m));
        await first.Operator.AddPriceBookVersionAsync("gptbots", VersionYaml("3", effective.AddDays(1), 0.66m));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await client.GetPriceBookAsync("gptbots")).Versions.Count < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(["1", "2", "3"], (await client.GetPriceBookAsync("gptbots")).Versions.Select(v => v.Version));
    }

    [Fact]
    public async Task A_new_price_book_can_be_created_and_used_by_a_tenant()
    {
        await using var server = await TestServer.StartAsync();
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
        var created = await server.Operator.CreatePriceBookAsync(yaml);
        Assert.Equal("my-book", created.Id);
        Assert.Contains((await server.Operator.ListPriceBooksAsync()).PriceBooks, b => b.Id == "my-book");
        var again = await Assert.ThrowsAsync<TollgateException>(() => server.Operator.CreatePriceBookAsync(yaml));
        Assert.Equal(HttpStatusCode.Conflict, again.Status);

        await server.Operator.CreateTenantAsync(new TenantRequest("usd", PriceBook: "my-book"));
        var e = Samples.Llm("u1", "usd", 1_000_000, 1_000_000, model: "my-model") with { Time = new DateTimeOffset(2026, 2, 2, 0, 0, 0, TimeSpan.Zero) };
        Assert.Equal(18m, (await server.Operator.QuoteAsync(e)).Amount);
    }

    [Fact]
    public async Task Health_readiness_metrics_and_openapi()
    {
        await using var server = await TestServer.StartAsync();
        await Samples.FundedTenantAsync(server, "acme");
        await server.Operator.RecordAsync(Samples.Llm("m", "acme"));
        using var http = server.Raw();
        Assert.Equal("ok", await http.GetStringAsync("healthz"));
        Assert.Equal("ready", await http.GetStringAsync("readyz"));
        var metrics = await http.GetStringAsync("metrics");
        Assert.Contains("tollgate_events_total{status=\"charged\"", metrics, StringComparison.Ordinal);
        Assert.Contains("http_request_duration_seconds", metrics, StringComparison.Ordinal);

        var openapi = await http.GetFromJsonAsync<System.Text.Json.JsonElement>("openapi/v1.json");
        var paths = openapi.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var path in new[] { "/v1/events", "/v1/events/batch", "/v1/events/quote", "/v1/tenants/{tenant}/reservations/{id}/settle", "/v1/tenants/{tenant}/balances", "/v1/tenants/{tenant}/transfers", "/v1/keys", "/v1/price-books/{id}/dry-run" })
        {
            Assert.Contains(path, paths);
        }

        using var docs = await http.GetAsync("docs/");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
    }

    private static string Json<T>(T value) => System.Text.Json.JsonSerializer.Serialize(value, TollgateJson.Options);

    internal static string VersionYaml(string version, DateTimeOffset effective, decimal inputPrice) => $$"""
        version: "{{version}}"
        effective_from: {{effective.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}}
        settlement: { unit: credits, scale: 8, rounding: half_up }
        groups:
          - types: [llm_text]
            per: 1K
            items:
              - { model: GPT-4.1-1M, key_modes: { platform: { input_tokens: {{inputPrice.ToString(System.Globalization.CultureInfo.InvariantCulture)}}, output_tokens: 0.88 } } }
        """;
}
