using CsCheck;
using Tollgate.Core.Money;

namespace Tollgate.Core.Tests.Money;

public sealed class LedgerAmountTests
{
    [Theory]
    [InlineData("0", "0")]
    [InlineData("-0", "0")]
    [InlineData("92233720368.54775808", "9223372036854775808")]
    [InlineData("-100000000000000000000", "-10000000000000000000000000000")]
    [InlineData("0.00000001", "1")]
    public void ToUnits_ThenToText_IsCanonicalIntegerText(string amount, string text)
    {
        var units = LedgerAmount.ToUnits(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(text, LedgerAmount.ToText(units));
        Assert.Equal(units, LedgerAmount.Parse(text));
        Span<byte> utf8 = stackalloc byte[30];
        Assert.Equal(text, System.Text.Encoding.UTF8.GetString(utf8[..LedgerAmount.WriteText(units, utf8)]));
    }

    [Fact]
    public void RoundTrip_AnyBalanceWithinTheLimit_IsExact()
    {
        Gen.Select(Gen.Long[-1_000_000_000_000_000_000, 1_000_000_000_000_000_000], Gen.Int[0, 99_999_999], Gen.Int[0, 99])
            .Select((whole, fraction, times) => ((whole * 100m) + times) + (fraction / 100_000_000m))
            .Sample(amount => LedgerAmount.FromUnits(LedgerAmount.Parse(LedgerAmount.ToText(LedgerAmount.ToUnits(amount)))) == amount);
    }

    [Theory]
    [InlineData("1000000000000000", true)]
    [InlineData("1000000000000000.00000001", false)]
    [InlineData("-1000000000000000", true)]
    [InlineData("0.000000001", false)]
    public void InRange_IsTheDocumentedLimit(string amount, bool expected) =>
        Assert.Equal(expected, LedgerAmount.InRange(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void ToUnits_MoreThanEightDecimals_Throws() =>
        Assert.Throws<ArgumentException>(() => LedgerAmount.ToUnits(0.000000001m));
}
