using System.Globalization;

namespace Tollgate.Core.Money;

/// <summary>The one way amounts and quantities are written as text: invariant, no exponent, no trailing zeros.</summary>
public static class DecimalText
{
    public static string Format(decimal value) => Normalize(value).ToString(CultureInfo.InvariantCulture);

    /// <summary>1.100 -> 1.1; keeps the value, drops the scale a computation left behind.</summary>
    public static decimal Normalize(decimal value)
    {
        // Strips trailing zeros from the 96-bit mantissa (dividing by 1.000... does the same, several times slower).
        if (value.Scale == 0)
        {
            return value;
        }

        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var mantissa = unchecked(((UInt128)(uint)bits[2] << 64) | ((UInt128)(uint)bits[1] << 32) | (uint)bits[0]);
        var scale = (byte)((bits[3] >> 16) & 0xFF);
        while (scale > 0 && mantissa % 10 == 0)
        {
            mantissa /= 10;
            scale--;
        }

        return unchecked(new decimal((int)(uint)mantissa, (int)(uint)(mantissa >> 32), (int)(uint)(mantissa >> 64), value < 0m, scale));
    }
}
