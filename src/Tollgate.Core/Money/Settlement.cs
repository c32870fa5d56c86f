using System.Globalization;

namespace Tollgate.Core.Money;

/// <summary>
/// The unit a price book charges in, and the one rounding rule of rating.
/// </summary>
/// <remarks>
/// Implementation note: charge lines are computed in <see cref="decimal"/> without rounding (quantity x price x
/// factors, divided by the unit size last, so a division is the only inexact step and it is exact to 28
/// significant digits). The charge total, the sum of its lines, is then rounded exactly once, here, to
/// <see cref="Scale"/> decimal places with <see cref="Mode"/>. So the error of a total is at most one unit of the
/// scale (half a unit for the half-way modes), and it is the only rounding a charge goes through.
/// </remarks>
public sealed record Settlement(string Unit, int Scale, RoundingMode Mode)
{
    public const int DefaultScale = 6;
    /// <summary>The ledger keeps amounts as integers of 10^-8 units, so no price book may settle finer than that.</summary>
    public const int MaxScale = 8;

    public decimal Round(decimal amount) => Mode switch
    {
        RoundingMode.HalfUp => decimal.Round(amount, Scale, MidpointRounding.AwayFromZero),
        RoundingMode.HalfEven => decimal.Round(amount, Scale, MidpointRounding.ToEven),
        RoundingMode.Up => decimal.Round(amount, Scale, MidpointRounding.ToPositiveInfinity),
        RoundingMode.Down => decimal.Round(amount, Scale, MidpointRounding.ToZero),
        _ => throw new InvalidOperationException($"unknown rounding mode {Mode}"),
    };

    /// <summary>One unit of the scale: 0.000001 at scale 6.</summary>
    public decimal Quantum => QuantumOf(Scale);

    /// <summary>One unit of a decimal scale: 10^-scale.</summary>
    public static decimal QuantumOf(int scale)
    {
        var quantum = 1m;
        for (var i = 0; i < scale; i++)
        {
            quantum /= 10m;
        }

        return quantum;
    }

    public static bool TryParseMode(string text, out RoundingMode mode)
    {
        switch (text)
        {
            case "half_up": mode = RoundingMode.HalfUp; return true;
            case "half_even": mode = RoundingMode.HalfEven; return true;
            case "up": mode = RoundingMode.Up; return true;
            case "down": mode = RoundingMode.Down; return true;
            default: mode = default; return false;
        }
    }

    public static string ModeName(RoundingMode mode) => mode switch
    {
        RoundingMode.HalfUp => "half_up",
        RoundingMode.HalfEven => "half_even",
        RoundingMode.Up => "up",
        _ => "down",
    };

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Unit} (scale {Scale}, {ModeName(Mode)})");
}
