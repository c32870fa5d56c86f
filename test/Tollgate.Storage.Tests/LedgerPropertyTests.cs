using CsCheck;
using NodaTime;
using Tollgate.Core.Funding;
using Tollgate.Core.Tenants;
using Tollgate.Storage.Ledger;

namespace Tollgate.Storage.Tests;

/// <summary>
/// Model-based: random sequences of top-ups, grants, events, holds, settles, releases, expiries and clock moves.
/// After every step: each unit sums to zero, no balance is below its floor, the check is clean, and
/// top-ups + grants = balances + holds + charges + expiries (everything given is somewhere). Every charged answer
/// carries the balances a read after it gives.
/// </summary>
public sealed class LedgerPropertyTests
{
    private abstract record Op;

    private sealed record TopUpOp(int Amount, bool Bonus, int ExpiresInMinutes) : Op;

    private sealed record RecordOp(int Calls, bool Overdraw) : Op;

    private sealed record HoldOp(int Amount) : Op;

    private sealed record SettleOp(int Hold, int Calls) : Op;

    private sealed record ReleaseOp(int Hold) : Op;

    private sealed record AdvanceOp(int Minutes) : Op;

    private static readonly Gen<Op> OpGen = Gen.Frequency(
        (3, Gen.Select(Gen.Int[1, 50], Gen.Bool, Gen.Int[1, 120]).Select(Op (a, b, e) => new TopUpOp(a, b, e))),
        (4, Gen.Select(Gen.Int[1, 5], Gen.Bool).Select(Op (c, o) => new RecordOp(c, o))),
        (2, Gen.Int[1, 20].Select(Op (a) => new HoldOp(a))),
        (2, Gen.Select(Gen.Int[0, 9], Gen.Int[1, 5]).Select(Op (h, c) => new SettleOp(h, c))),
        (1, Gen.Int[0, 9].Select(Op (h) => new ReleaseOp(h))),
        (1, Gen.Int[1, 90].Select(Op (m) => new AdvanceOp(m))));

    [Theory]
    [ClassData(typeof(Engines))]
    public void RandomOperations_KeepEveryInvariant(string engine)
    {
        var iterations = engine == "sqlite" ? 25 : 10;
        OpGen.Array[5, 25].Sample(ops => Run(engine, ops).GetAwaiter().GetResult(), iter: iterations, threads: 1);
    }

    private static async Task Run(string engine, Op[] ops)
    {
        var (store, clock) = await StoreFixture.StoreAsync(engine);
        await store.SaveTenantAsync(new TenantSettings("acme", PriceBook: "test-book", FundingOrder: FundingOrder.Proportional));
        var holds = new List<string>();
        for (var step = 0; step < ops.Length; step++)
        {
            switch (ops[step])
            {
                case TopUpOp t:
                    await store.TopUpAsync(new TopUp("acme", $"top-{step}", t.Bonus ? AccountKind.Bonus : AccountKind.Recharge, "credits", t.Amount,
                        ExpiresAt: t.Bonus ? clock.GetCurrentInstant() + Duration.FromMinutes(t.ExpiresInMinutes) : null));
                    break;
                case RecordOp r:
                    await AssertAnswerBalances(store, Assert.Single(await store.RecordAsync([Events.Fee($"e-{step}", model: r.Overdraw ? "fee" : "one", calls: r.Calls)])), step, r);
                    break;
                case HoldOp h:
                    holds.Add($"h-{step}");
                    await store.HoldAsync(new HoldRequest("acme", $"h-{step}", Duration.FromMinutes(30), Amount: h.Amount, Unit: "credits"));
                    break;
                case SettleOp s when holds.Count > 0:
                    await AssertAnswerBalances(store, await store.SettleAsync("acme", holds[s.Hold % holds.Count], Events.Fee($"s-{step}", model: "one", calls: s.Calls)), step, s);
                    break;
                case ReleaseOp r when holds.Count > 0:
                    await store.ReleaseAsync("acme", holds[r.Hold % holds.Count]);
                    break;
                case AdvanceOp a:
                    clock.Advance(Duration.FromMinutes(a.Minutes));
                    await store.SweepAsync();
                    break;
            }

            var check = await store.CheckAsync();
            Assert.True(check.Clean, $"after step {step} ({ops[step]}): {string.Join("; ", check.Problems)}");
            await AssertConservation(store, step, ops[step]);
        }
    }

    /// <summary>A charged answer carries its payer's balances as they are after it: what a read now gives.</summary>
    private static async Task AssertAnswerBalances(LedgerStore store, RecordResult answer, int step, Op op)
    {
        if (answer.Status == RecordResult.Charged)
        {
            Assert.True(answer.PayerBalances is not null, $"step {step} ({op}): a charged answer without its balances");
            Assert.Equal(await store.GetOwnerBalancesAsync("acme", [answer.PayerOwner]), answer.PayerBalances);
        }
    }

    private static async Task AssertConservation(LedgerStore store, int step, Op op)
    {
        await using var connection = await store.Dialect.OpenAsync(default);
        await using var command = connection.CreateCommand();
        // Summed here, not in SQL: amounts are numeric on PostgreSQL and integer text on SQLite (LedgerAmount).
        command.CommandText = "SELECT kind, posted, pending, floor FROM accounts WHERE tenant_id = 'acme' AND unit = 'credits'";
        var byKind = new Dictionary<string, (decimal Posted, decimal Pending, decimal Headroom)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                decimal Read(int i) => Convert.ToDecimal(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);
                var (posted, pending, floor) = (Read(1), Read(2), Read(3));
                var sum = byKind.GetValueOrDefault(reader.GetString(0), (Posted: 0m, Pending: 0m, Headroom: decimal.MaxValue));
                byKind[reader.GetString(0)] = (sum.Posted + posted, sum.Pending + pending, Math.Min(sum.Headroom, posted - pending - floor));
            }
        }

        decimal Get(string kind) => byKind.TryGetValue(kind, out var v) ? v.Posted : 0m;
        var given = -Get(AccountKinds.Issuance);
        var balances = Get(AccountKinds.Recharge) + Get(AccountKinds.Bonus);
        var charges = Get(AccountKinds.Revenue) + Get(AccountKinds.Arrears); // usage paid from balances, net of what is owed
        Assert.True(given == balances + charges + Get(AccountKinds.Expiry), $"after step {step} ({op}): given {given} != balances {balances} + charges {charges} + expiries {Get(AccountKinds.Expiry)}");
        Assert.All(byKind.Where(k => k.Key is AccountKinds.Recharge or AccountKinds.Bonus), k => Assert.True(k.Value.Headroom >= 0, $"after step {step}: {k.Key} below floor"));
    }
}
