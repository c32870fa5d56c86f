using CsCheck;
using NodaTime;
using Tollgate.Core.Funding;
using Tollgate.Core.Money;
using Tollgate.Core.Tenants;
using Tollgate.Storage.Ledger;

namespace Tollgate.Storage.Tests;

/// <summary>
/// Amounts and balances past 2^63 scaled units (9.2 x 10^10 units), which 64-bit amounts could not hold (issue 11,
/// item 6): exact to 8 decimals, double entry intact, the check clean, and amounts past the limits refused.
/// </summary>
public sealed class LargeAmountTests
{
    /// <summary>2^63 - 1 scaled units, in units: the old ceiling of every account.</summary>
    private const decimal OldCeiling = 92_233_720_368.54775807m;

    private static async Task<LedgerStore> TenantAsync(string engine, bool strict = false)
    {
        var (store, _) = await StoreFixture.StoreAsync(engine);
        await store.SaveTenantAsync(new TenantSettings("acme", PriceBook: "test-book", Strict: strict));
        return store;
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task TopUpsHoldsAndPaid_FromTheIssue_WorkExactly(string engine)
    {
        var store = await TenantAsync(engine);

        for (var i = 0; i < 5; i++)
        {
            await store.TopUpAsync(new TopUp("acme", $"pack-{i}", AccountKind.ResourcePack, "tokens", 10_000_000_000m));
        }

        await store.TopUpAsync(new TopUp("acme", "big", AccountKind.Recharge, "credits", 50_000_000_000m));
        await store.TopUpAsync(new TopUp("acme", "huge", AccountKind.Recharge, "credits", 1_000_000_000_000m, Paid: 1_000_000_000_000m));
        var hold = await store.HoldAsync(new HoldRequest("acme", "h", Duration.FromMinutes(5), Amount: 1_000_000_000_000m, Unit: "credits"));
        var settled = await store.SettleAsync("acme", "h", Events.Fee("s", model: "one", calls: 3));

        Assert.Equal(HoldResult.Held, hold.Status);
        Assert.Equal(RecordResult.Charged, settled.Status);
        Assert.Equal(1_000_000_000_000m, await store.GetCumulativeRechargeAsync("acme"));
        var balances = await store.GetBalancesAsync("acme");
        Assert.Equal(50_000_000_000m, balances.Where(b => b.Kind == AccountKinds.ResourcePack).Sum(b => b.Available));
        Assert.Equal(1_049_999_999_997m, balances.Single(b => b.Kind == AccountKinds.Recharge).Available);
        Assert.True((await store.CheckAsync()).Clean);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Amounts_PastTheLimits_AreRefusedWithACode(string engine)
    {
        var store = await TenantAsync(engine);
        await store.TopUpAsync(new TopUp("acme", "t", AccountKind.Recharge, "credits", 100m));

        var hold = await store.HoldAsync(new HoldRequest("acme", "h", Duration.FromMinutes(5), Amount: LedgerAmount.MaxAmount + 1m, Unit: "credits"));
        var topUp = await Assert.ThrowsAsync<LedgerException>(() => store.TopUpAsync(new TopUp("acme", "t2", AccountKind.Recharge, "credits", LedgerAmount.MaxAmount + 1m)));

        Assert.Equal((LedgerErrors.AmountOutOfRange, "amount"), (hold.Error?.Code, hold.Error?.Field));
        Assert.Equal((LedgerErrors.AmountOutOfRange, "amount"), (topUp.Code, topUp.Field));
        Assert.Equal(100m, (await store.GetBalancesAsync("acme")).Single().Available);
        Assert.True((await store.CheckAsync()).Clean);
    }

    /// <summary>
    /// SQLite adds amount texts in SQL while both are under 18 characters and through units_add past that: every sum is
    /// exact and canonical on both sides of the boundary, negative ones and the largest balances included.
    /// </summary>
    [Fact]
    public async Task AddUnits_OnSqlite_IsExactOnBothSidesOfTheNativeIntegerBoundary()
    {
        var dialect = new Sql.SqliteDialect(Path.Combine(Path.GetTempPath(), $"tollgate-units-{Guid.NewGuid():N}.db"));
        await using var _ = dialect;
        await using var connection = await dialect.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {dialect.AddUnits("@a", "@b")}";
        var a = command.CreateParameter();
        a.ParameterName = "@a";
        var b = command.CreateParameter();
        b.ParameterName = "@b";
        command.Parameters.Add(a);
        command.Parameters.Add(b);

        var digits = Gen.Int[1, 28].SelectMany(n => Gen.String[Gen.Char['0', '9'], n, n]).Select(t => decimal.Parse("1" + t[1..], System.Globalization.CultureInfo.InvariantCulture));
        var units = Gen.Select(digits, Gen.Bool, Gen.Int[-3, 3]).Select((d, negative, nudge) => Math.Clamp((negative ? -d : d) + nudge, -LedgerAmount.MaxBalanceUnits, LedgerAmount.MaxBalanceUnits));
        Gen.Select(units, units).Sample((x, y) =>
        {
            a.Value = LedgerAmount.ToText(x);
            b.Value = LedgerAmount.ToText(y);
            Assert.Equal(LedgerAmount.ToText(x + y), (string)command.ExecuteScalar()!);
        }, iter: 20_000, threads: 1);
    }

    /// <summary>
    /// Random top-ups of up to 10^15 units with 8 decimals, large holds settled or released, and charges: issuance
    /// and the recharge account pass 2^63 scaled units; everything stays exact and balanced.
    /// </summary>
    [Theory]
    [ClassData(typeof(Engines))]
    public void RandomLargeAmounts_PastTwoToThe63_StayExactAndBalanced(string engine)
    {
        var amount = Gen.Select(Gen.Long[1, 999_999_999_999_999L], Gen.Int[0, 99_999_999]).Select((whole, fraction) => whole + (fraction / 100_000_000m));
        var op = Gen.Select(amount, Gen.Int[0, 3], Gen.Int[1, 1_000_000]);
        op.Array[3, 12].Sample(ops => RunAsync(engine, ops).GetAwaiter().GetResult(), iter: engine == "sqlite" ? 12 : 6, threads: 1);
    }

    private static async Task RunAsync(string engine, (decimal Amount, int Kind, int Calls)[] ops)
    {
        var store = await TenantAsync(engine);
        var given = 0m;
        var charged = 0m;
        for (var step = 0; step < ops.Length; step++)
        {
            var (amount, kind, calls) = ops[step];
            given += amount;
            await store.TopUpAsync(new TopUp("acme", $"t{step}", AccountKind.Recharge, "credits", amount));
            var hold = await store.HoldAsync(new HoldRequest("acme", $"h{step}", Duration.FromMinutes(5), Amount: amount, Unit: "credits"));
            Assert.Equal(HoldResult.Held, hold.Status);
            if (kind == 0)
            {
                await store.ReleaseAsync("acme", $"h{step}");
            }
            else
            {
                var settled = await store.SettleAsync("acme", $"h{step}", Events.Fee($"s{step}", model: kind == 1 ? "one" : "fee", calls: calls));
                charged += settled.Amount;
            }
        }

        // Force past the old ceiling at least once per run.
        given += LedgerAmount.MaxAmount;
        await store.TopUpAsync(new TopUp("acme", "last", AccountKind.Recharge, "credits", LedgerAmount.MaxAmount));

        var check = await store.CheckAsync();
        Assert.True(check.Clean, string.Join("; ", check.Problems));
        var recharge = (await store.GetBalancesAsync("acme")).Single(b => b.Kind == AccountKinds.Recharge);
        Assert.Equal(given - charged, recharge.Posted);
        Assert.Equal(0m, recharge.Held);
        Assert.True(recharge.Posted > OldCeiling);
    }
}
