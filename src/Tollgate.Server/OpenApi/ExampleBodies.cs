using System.Text.Json;
using Tollgate.Client.Contracts;

namespace Tollgate.Server.OpenApi;

/// <summary>
/// One sample of each request and answer contract, typed so an example cannot name a field the contract lacks.
/// Prices are the GPTBots table's GPT-4.1-1M (0.22 / 0.88 credits per 1K tokens).
/// </summary>
internal static class ExampleBodies
{
    private static readonly DateTimeOffset Time = new(2026, 11, 20, 9, 30, 0, TimeSpan.FromHours(8));
    private static readonly DateTimeOffset Created = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    public static IEnumerable<object> All()
    {
        var tenant = new Tenant(
            "acme", "Asia/Shanghai", "gptbots", "free", 1m, FundingOrder.BonusFirst, false, false, ["store"],
            new Dictionary<string, string> { ["api"] = "api_tokens" }, new Dictionary<string, decimal> { ["credits->api_tokens"] = 1m },
            1000m, BillingCycle.Daily, [new DiscountTier(5000m, 0.9m)], new Dictionary<string, decimal> { ["credits"] = 100m });
        yield return new TenantRequest("acme", "Asia/Shanghai", "gptbots", "free", LowBalance: new Dictionary<string, decimal> { ["credits"] = 100m });
        yield return tenant;
        yield return new TenantList([tenant]);

        var user = new EndUser("user-42", "Ada", Created);
        yield return new EndUserRequest("user-42", "Ada");
        yield return user;
        yield return new EndUserList([user]);

        var usage = new UsageEvent(
            "evt-1", "acme", Time, "llm_text", "GPT-4.1-1M",
            new Dictionary<string, decimal> { ["input_tokens"] = 1000m, ["output_tokens"] = 1000m }, Subject: "user-42", KeyMode: "platform", Channel: "api");
        yield return usage;
        yield return new EventBatch([usage]);

        var charge = new Charge(1.1m, 1.1m, "credits", [
            new ChargeLine("input_tokens", 1000m, 0.22m, 1000m, "credits", 0.22m, []),
            new ChargeLine("output_tokens", 1000m, 0.88m, 1000m, "credits", 0.88m, []),
        ], "gptbots@2026-11");
        var payment = new Payment(1, "recharge", "credits", 1.1m, 1.1m);
        var balance = new Balance(1, "", "recharge", "credits", 998.9m, 0m, 998.9m, null);
        var result = new EventResult("evt-1", "charged", false, charge, "acme", "credits", 1.1m, [payment], 0m, Balances: [balance]);
        yield return result;
        yield return new BatchResult(1, 0, 0, [result]);
        yield return new Quote("evt-1", charge, "acme", "credits", 1.1m);
        yield return new StoredEvent("evt-1", "charged", Time, Time.AddSeconds(1), JsonSerializer.SerializeToElement(usage, Client.TollgateJson.Options), result);

        yield return new ReservationRequest("call-7", 5m, "credits", TimeoutSeconds: 300);
        yield return new Reservation("call-7", "held", "credits", 5m, [new Payment(1, "recharge", "credits", 5m, 5m)]);
        yield return new SettleRequest(usage with { Id = "call-7" });

        yield return new Balances("acme", [balance], new Dictionary<string, decimal>());
        yield return new TransferPage(
            [new LedgerTransfer(12, Time, "charge", "credits", 1.1m, false, 1, "recharge", "", 3, "revenue", "", "evt-1", null)], "12");
        yield return new TopUpRequest("order-1001", TopUpKind.Recharge, "credits", 1000m, Bonus: 100m, Paid: 1000m);
        yield return new TopUpResult("order-1001", 1, 2, 0m, false);
        yield return new FreeQuotaRequest("workflow_test_runs", 10m, "day");
        yield return new AccountCreated(5);
        var gatewayKey = new Gateway.Keys.GatewayKeyWire(
            "5f2a9c01d3e4", "acme", "support-bot", "user-42", "api", ["GPT-4.1-1M"], new("50", "day"), 60, null, new("40", "day"), Created, null, null);
        yield return new Gateway.Keys.GatewayKeyRequestWire("support-bot", "user-42", "api", ["GPT-4.1-1M"], new("50", "day"), 60);
        yield return gatewayKey with { Key = "tgk_5f2a9c01d3e4_9b1c..." };
        yield return new Gateway.Keys.GatewayKeyListWire([gatewayKey]);
        yield return new Gateway.Keys.GatewayKeyBudgetWire("20", "month");
        yield return new Gateway.Keys.GatewayUserBudgetWire("user-42", "20", "month");
        yield return new Gateway.Keys.GatewayUserBudgetListWire([new("user-42", "20", "month")]);
        yield return new AdjustmentRequest(1, 25m, "refund of ticket #88: a failed call was charged");

        var key = new ApiKeyInfo("key_3f9a", "acme", "acme ingestion", true, Created, null);
        yield return new KeyRequest("acme ingestion", "acme", true);
        yield return new CreatedKey(key, "tg_3f9a_5b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0");
        yield return key;
        yield return new KeyList([key]);

        var book = new PriceBookInfo("my-book", "My book", null, [new PriceBookVersionInfo("1", Created, "USD", 6, 1)]);
        yield return book;
        yield return new PriceBookList([book]);
        yield return new DryRunReport(120, 118, new Dictionary<string, int>(), [new DryRunTotal("USD", 12.5m, 10.75m, -1.75m)]);

        foreach (var body in Billing())
        {
            yield return body;
        }

        var webhook = new Webhook("wh_1", "acme", "https://example.com/tollgate", ["low_balance", "bill_issued"], Created);
        var delivery = new Delivery("dl_1", "wh_1", "acme", "al_1", "delivered", 1, Created, 200, null, Created, Created);
        yield return new WebhookRequest("https://example.com/tollgate", "acme", ["low_balance", "bill_issued"]);
        yield return webhook;
        yield return new WebhookList([webhook]);
        yield return delivery;
        yield return new DeliveryList([delivery]);
    }

    private static IEnumerable<object> Billing()
    {
        var start = new DateOnly(2026, 11, 20);
        var section = new BillSection(
            "credits", 2, 2.2m, 0m, 0m,
            [new BillItem("llm_text", "GPT-4.1-1M", null, 2, new Dictionary<string, decimal> { ["input_tokens"] = 2000m, ["output_tokens"] = 2000m }, 2.2m, ["gptbots@2026-11"])],
            [new ChannelSubtotal("api", 2, 2.2m)],
            [new BillPayment("recharge", "credits", 2.2m, 2.2m)]);
        var bill = new Bill(
            "acme", "2026-11-20", "daily", start, start.AddDays(1), "Asia/Shanghai",
            new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.FromHours(8)), new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.FromHours(8)),
            new DateTimeOffset(2026, 11, 21, 1, 0, 0, TimeSpan.FromHours(8)), ["gptbots@2026-11"], [section]);
        yield return bill;
        yield return new BillList([bill]);
        yield return new IssueBillRequest(start);
        yield return new UsageReport("day", ["model"], [
            new UsageReportRow("2026-11-20", new Dictionary<string, string> { ["model"] = "GPT-4.1-1M" }, 2,
                new Dictionary<string, decimal> { ["input_tokens"] = 2000m, ["output_tokens"] = 2000m }, new Dictionary<string, decimal> { ["credits"] = 2.2m }),
        ]);
    }
}
