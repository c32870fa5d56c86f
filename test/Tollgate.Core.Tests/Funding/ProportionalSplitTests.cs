using CsCheck;
using Tollgate.Core.Funding;

namespace Tollgate.Core.Tests.Funding;

public sealed class ProportionalSplitTests
{
    [Theory]
    [InlineData("10", new[] { "10", "10" }, 2, new[] { "5", "5" })]
    [InlineData("1", new[] { "1", "1", "1" }, 2, new[] { "0.34", "0.33", "0.33" })]
    [InlineData("0.01", new[] { "5", "5" }, 2, new[] { "0.01", "0" })]
    [InlineData("30", new[] { "10", "10" }, 2, new[] { "10", "10" })]
    public void Split_Examples(string amount, string[] balances, int scale, string[] expected)
    {
        var shares = ProportionalSplit.Split(decimal.Parse(amount), balances.Select(decimal.Parse).ToArray(), scale);

        Assert.Equal(expected.Select(decimal.Parse), shares);
    }

    [Fact]
    public void Split_Random_SumsExactlyAndRespectsBalances()
    {
        var balances = Gen.Long[0, 10_000_000_000].Select(l => l / 100_000_000m).Array[1, 8];
        Gen.Select(balances, Gen.Long[0, 20_000_000_000], Gen.Int[0, 8]).Sample((bals, raw, scale) =>
        {
            var quantum = Tollgate.Core.Money.Settlement.QuantumOf(scale);
            var bs = bals.Select(b => decimal.Round(b, scale, MidpointRounding.ToZero)).ToArray();
            var amount = decimal.Round(raw / 100_000_000m, scale, MidpointRounding.ToZero);
            var shares = ProportionalSplit.Split(amount, bs, scale);
            var expectedTotal = Math.Min(amount, bs.Sum());
            return shares.Sum() == expectedTotal
                && shares.Zip(bs).All(p => p.First >= 0m && p.First <= p.Second && p.First == decimal.Round(p.First, scale))
                && shares.SequenceEqual(ProportionalSplit.Split(amount, bs, scale));
        });
    }

    /// <summary>Amount x balance past a decimal's range (10^15 against 10^20): exact big-integer shares, same guarantees.</summary>
    [Fact]
    public void Split_RandomHugeAmounts_SumsExactlyAndRespectsBalances()
    {
        var units = Gen.Select(Gen.Long[0, 999_999_999_999_999L], Gen.Int[0, 99_999]).Select((whole, thousand) => (whole * 100_000m) + thousand);
        Gen.Select(units.Array[1, 6], Gen.Select(Gen.Long[1, 999_999_999_999_999L], Gen.Int[0, 99_999_999]).Select((w, f) => w + (f / 100_000_000m))).Sample((bs, amount) =>
        {
            var shares = ProportionalSplit.Split(amount, bs, 8);
            return shares.Sum() == Math.Min(amount, bs.Sum())
                && shares.Zip(bs).All(p => p.First >= 0m && p.First <= p.Second && p.First == decimal.Round(p.First, 8));
        });
    }

    [Fact]
    public void Split_HugeAmountOverHugeBalances_SplitsInProportion()
    {
        var shares = ProportionalSplit.Split(1_000_000_000_000_000m, [300_000_000_000_000_000_000m, 100_000_000_000_000_000_000m], 8);

        Assert.Equal([750_000_000_000_000m, 250_000_000_000_000m], shares);
    }
}
