using CsCheck;
using Tollgate.Core.Money;

namespace Tollgate.Core.Tests.Money;

public sealed class DecimalTextTests
{
    /// <summary>The fast normalization keeps the value and leaves the same digits as the reference, dividing by 1.000....</summary>
    [Fact]
    public void Normalize_EqualsDivisionByOne_ForAnyDecimal()
    {
        Gen.Select(Gen.Int, Gen.Int, Gen.Int, Gen.Bool, Gen.Byte[0, 28])
            .Select((lo, mid, hi, negative, scale) => new decimal(lo, mid, hi, negative, scale))
            .Sample(value =>
            {
                var fast = DecimalText.Normalize(value);
                var reference = value / 1.000000000000000000000000000000000m;
                Assert.Equal(reference, fast);
                Assert.Equal(reference.Scale, fast.Scale);
                Assert.Equal(reference.ToString(System.Globalization.CultureInfo.InvariantCulture), fast.ToString(System.Globalization.CultureInfo.InvariantCulture));
            });
    }

    [Theory]
    [InlineData("1.100", "1.1")]
    [InlineData("0.000", "0")]
    [InlineData("-2.50", "-2.5")]
    [InlineData("100", "100")]
    [InlineData("0.00000001", "0.00000001")]
    public void Format_DropsTrailingZerosOnly(string input, string expected) =>
        Assert.Equal(expected, DecimalText.Format(decimal.Parse(input, System.Globalization.CultureInfo.InvariantCulture)));
}
