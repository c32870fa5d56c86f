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
}
