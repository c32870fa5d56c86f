using System.Globalization;
using System.Text.Json;
using CsCheck;
using Tollgate.Client;

namespace Tollgate.Server.Tests;

/// <summary>Amounts on the wire are decimal strings in their shortest exact form, read back to the same value.</summary>
public sealed class WireDecimalTests
{
    private static readonly Gen<decimal> Any = Gen.Select(Gen.Int, Gen.Int, Gen.Int, Gen.Bool, Gen.Byte[0, 28])
        .Select((lo, mid, hi, negative, scale) => new decimal(lo, mid, hi, negative, scale));

    [Fact]
    public void Write_AnyDecimal_IsItsInvariantTextWithoutTrailingZerosAndReadsBackEqual() =>
        Any.Sample(value =>
        {
            var json = JsonSerializer.Serialize(value, TollgateJson.Options);
            var text = value.ToString(CultureInfo.InvariantCulture);
            var shortest = text.Contains('.', StringComparison.Ordinal) ? text.TrimEnd('0').TrimEnd('.') : text;
            Assert.Equal($"\"{shortest}\"", json);
            Assert.Equal(value, JsonSerializer.Deserialize<decimal>(json, TollgateJson.Options));
        });

    [Theory]
    [InlineData("1.10", "\"1.1\"")]
    [InlineData("100", "\"100\"")]
    [InlineData("-0.50", "\"-0.5\"")]
    [InlineData("0.000", "\"0\"")]
    [InlineData("79228162514264337593543950335", "\"79228162514264337593543950335\"")]
    [InlineData("-0.0000000000000000000000000001", "\"-0.0000000000000000000000000001\"")]
    public void Write_Examples(string value, string json) =>
        Assert.Equal(json, JsonSerializer.Serialize(decimal.Parse(value, CultureInfo.InvariantCulture), TollgateJson.Options));
}
