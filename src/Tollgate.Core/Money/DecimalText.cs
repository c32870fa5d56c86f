using System.Globalization;

namespace Tollgate.Core.Money;

/// <summary>The one way amounts and quantities are written as text: invariant, no exponent, no trailing zeros.</summary>
public static class DecimalText
{
    public static string Format(decimal value) => Normalize(value).ToString(CultureInfo.InvariantCulture);

    /// <summary>1.100 -> 1.1; keeps the value, drops the scale a computation left behind.</summary>
    public static decimal Normalize(decimal value) => value / 1.000000000000000000000000000000000m;
}
