using System.Globalization;

namespace Tollgate.Core.Money;

/// <summary>
/// The ledger's representation of an amount: a whole count of 10^-8 units (of credits, CNY, tokens ...), held in a
/// <see cref="decimal"/> with no fractional digits ("scaled units").
/// </summary>
/// <remarks>
/// Implementation note: whole numbers make balance updates exact in C#, SQLite and PostgreSQL and compare and sum
/// without rounding. Eight decimal places is the finest settlement scale a price book may use
/// (<see cref="Settlement.MaxScale"/>), so every rated total converts exactly. A 64-bit integer would stop at
/// 9.2 x 10^10 units, which system accounts (issuance, revenue: everything ever issued) pass; a decimal's 96-bit
/// mantissa holds 7.9 x 10^28 scaled units, so every balance stays exact within <see cref="MaxBalance"/> (10^20 units)
/// and any single movement within <see cref="MaxAmount"/> (10^15 units). Decimal arithmetic throws on overflow, never
/// wraps. Stored as PostgreSQL <c>numeric</c>, and on SQLite as canonical integer text (<see cref="ToText"/>) that
/// the connection's <c>units_add</c> and <c>units_sum</c> functions add exactly (see SqliteDialect).
/// A conversion that would lose a digit throws: it is a bug, never a silent rounding.
/// </remarks>
public static class LedgerAmount
{
    public const int Scale = 8;

    /// <summary>The largest single amount (top-up, grant, hold, charge, adjustment) in units: 10^15.</summary>
    public const decimal MaxAmount = 1_000_000_000_000_000m;

    /// <summary>The largest balance of any account, either sign, in units: 10^20 (system accounts sum everything ever issued).</summary>
    public const decimal MaxBalance = 100_000_000_000_000_000_000m;

    private const decimal Factor = 100_000_000m;

    /// <summary><see cref="MaxBalance"/> in scaled units (10^28, below decimal's 7.9 x 10^28).</summary>
    public const decimal MaxBalanceUnits = MaxBalance * Factor;

    public static decimal ToUnits(decimal amount)
    {
        var scaled = amount * Factor;
        var whole = decimal.Truncate(scaled);
        if (scaled != whole)
        {
            throw new ArgumentException($"{amount} has more than {Scale} decimal places", nameof(amount));
        }

        return whole;
    }

    /// <summary>A count of units (whole, possibly wider than a long) as an amount.</summary>
    public static decimal FromUnits(decimal units) => DecimalText.Normalize(units / Factor);

    /// <summary>Whether an amount is within <see cref="MaxAmount"/> and has at most <see cref="Scale"/> decimal places.</summary>
    public static bool InRange(decimal amount) => Math.Abs(amount) <= MaxAmount && decimal.Round(amount, Scale) == amount;

    /// <summary>Scaled units as canonical integer text: no sign for zero and positives, no leading zeros, no point.</summary>
    public static string ToText(decimal units) =>
        units == 0m ? "0" : decimal.Truncate(units).ToString("0", CultureInfo.InvariantCulture); // -0m (minus a zero overdraft) is "0" too

    /// <summary><see cref="ToText"/>'s text as UTF-8 into <paramref name="utf8"/> (30 bytes hold any decimal); its length.</summary>
    public static int WriteText(decimal units, Span<byte> utf8)
    {
        if (units == 0m)
        {
            utf8[0] = (byte)'0';
            return 1;
        }

        return decimal.Truncate(units).TryFormat(utf8, out var length, "0", CultureInfo.InvariantCulture)
            ? length
            : throw new ArgumentException($"{utf8.Length} bytes cannot hold {units}", nameof(utf8));
    }

    /// <summary>Reads <see cref="ToText"/> (and any integer the engine hands back).</summary>
    public static decimal Parse(string text) => decimal.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture);

    /// <summary>Rounds to the ledger's scale, half away from zero: used only where a configured conversion rate creates finer digits.</summary>
    public static decimal Round(decimal amount) => decimal.Round(amount, Scale, MidpointRounding.AwayFromZero);
}
