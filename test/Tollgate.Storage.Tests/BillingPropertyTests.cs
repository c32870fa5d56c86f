using CsCheck;
using NodaTime;
using Tollgate.Core.Funding;
using Tollgate.Core.Tenants;
using Tollgate.Storage.Billing;
using Tollgate.Storage.Ledger;

namespace Tollgate.Storage.Tests;

/// <summary>
/// Random event streams (times up to two days back, so some arrive after their cycle's bill) interleaved with random
/// clock moves and bill runs: at every step, billed + still open = charged, per unit; once every cycle has closed
/// and been billed, the sum of the tenant's bill totals equals the sum of its charges in the ledger.
/// </summary>
public sealed class BillingPropertyTests
{
    private abstract record Op;

    private sealed record RecordOp(int Calls, int HoursBack, bool Expensive, bool Api) : Op;

    private sealed record AdvanceOp(int Hours) : Op;

    private sealed record IssueOp : Op;

    private static readonly Gen<Op> OpGen = Gen.Frequency(
        (5, Gen.Select(Gen.Int[1, 9], Gen.Int[0, 48], Gen.Bool, Gen.Bool).Select(Op (c, h, e, a) => new RecordOp(c, h, e, a))),
        (2, Gen.Int[1, 30].Select(Op (h) => new AdvanceOp(h))),
        (2, Gen.Const<Op>(new IssueOp())));

    [Theory]
    [ClassData(typeof(Engines))]
    public void RandomStreams_BillsAddUpToTheLedgersCharges(string engine)
    {
        var iterations = engine == "sqlite" ? 20 : 8;
        Gen.Select(OpGen.Array[5, 40], Gen.Int[0, 2].Select(i => new[] { "UTC", "Asia/Shanghai", "America/New_York" }[i]), Gen.Bool)
            .Sample((ops, zone, monthly) => Run(engine, ops, zone, monthly).GetAwaiter().GetResult(), iter: iterations, threads: 1);
    }

    private static async Task Run(string engine, Op[] ops, string zone, bool monthly)
    {
        var (store, clock) = await StoreFixture.StoreAsync(engine, Instant.FromUtc(2026, 10, 30, 20, 0));
        var settings = new TenantSettings("acme", TimeZone: zone, PriceBook: "test-book", Cycle: monthly ? Core.Calendar.BillingPeriod.Monthly : Core.Calendar.BillingPeriod.Daily,
            Routes: FundingRoutes.Default with
            {
                ChannelUnits = new Dictionary<string, string> { [Core.Events.Channels.Api] = "api_tokens" },
                UnitRates = new Dictionary<string, decimal> { ["credits->api_tokens"] = 1000m },
            });
        await store.SaveTenantAsync(settings);
        await store.TopUpAsync(new TopUp("acme", "t1", AccountKind.Recharge, "credits", 20m));
        var bills = new BillingStore(store.Dialect, clock);
        var charged = new Dictionary<string, decimal>(StringComparer.Ordinal);
        for (var step = 0; step < ops.Length; step++)
        {
            switch (ops[step])
            {
                case RecordOp r:
                    var at = clock.GetCurrentInstant() - Duration.FromHours(r.HoursBack);
                    var e = BillingTests.Fee($"e{step}", at, r.Calls, model: r.Expensive ? "fee" : "one", channel: r.Api ? Core.Events.Channels.Api : Core.Events.Channels.Editor);
                    foreach (var result in await store.RecordAsync([e, e]))
                    {
                        if (result is { Status: RecordResult.Charged, Duplicate: false })
                        {
                            charged[result.Unit!] = charged.GetValueOrDefault(result.Unit!) + result.Amount;
                        }
                    }

                    break;
                case AdvanceOp a:
                    clock.Advance(Duration.FromHours(a.Hours));
                    break;
                case IssueOp:
                    await bills.IssueDueAsync(Duration.FromDays(1));
                    break;
            }

            var billed = await bills.BilledTotalsAsync("acme");
            var open = await OpenTotalsAsync(store);
            foreach (var unit in charged.Keys.Union(billed.Keys).Union(open.Keys))
            {
                Assert.True(
                    charged.GetValueOrDefault(unit) == billed.GetValueOrDefault(unit) + open.GetValueOrDefault(unit),
                    $"after step {step} ({ops[step]}), {unit}: charged {charged.GetValueOrDefault(unit)} != billed {billed.GetValueOrDefault(unit)} + open {open.GetValueOrDefault(unit)}");
            }
        }

        clock.Advance(Duration.FromDays(40));
        await bills.IssueDueAsync(Duration.FromDays(1));
        var final = await bills.BilledTotalsAsync("acme");
        Assert.Equal(charged.Where(c => c.Value != 0m).OrderBy(c => c.Key), final.Where(c => c.Value != 0m).OrderBy(c => c.Key));
        Assert.Equal(await LedgerChargesAsync(store), final.Where(c => c.Value != 0m).OrderBy(c => c.Key));
    }

    /// <summary>The charges of lines no bill has taken yet.</summary>
    private static async Task<Dictionary<string, decimal>> OpenTotalsAsync(LedgerStore store) =>
        await SumAsync(store, $"SELECT unit, {store.Dialect.SumUnits("amount")} FROM bill_lines WHERE tenant_id = 'acme' AND bill_id IS NULL GROUP BY unit");

    /// <summary>The charges as the ledger's events table has them (each event's answer).</summary>
    private static async Task<IOrderedEnumerable<KeyValuePair<string, decimal>>> LedgerChargesAsync(LedgerStore store)
    {
        var totals = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (_, result) in await store.ChargedEventsAsync(["acme"], null, null, 100_000))
        {
            totals[result.Unit!] = totals.GetValueOrDefault(result.Unit!) + result.Amount;
        }

        return totals.Where(t => t.Value != 0m).ToDictionary().OrderBy(t => t.Key);
    }

    private static async Task<Dictionary<string, decimal>> SumAsync(LedgerStore store, string sql)
    {
        await using var connection = await store.Dialect.OpenAsync(default);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var sums = new Dictionary<string, decimal>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            sums[reader.GetString(0)] = Core.Money.LedgerAmount.FromUnits(Convert.ToDecimal(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture));
        }

        return sums;
    }
}
