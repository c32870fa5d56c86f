namespace Tollgate.Core.Money;

/// <summary>
/// The ledger's representation of an amount: a 64-bit integer count of 10^-8 units (of credits, CNY, tokens ...).
/// </summary>
/// <remarks>
/// Implementation note: integers make balance updates exact and cheap in both SQLite and PostgreSQL, and compare
/// and sum without any rounding. Eight decimal places is the finest settlement scale a price book may use
/// (<see cref="Settlement.MaxScale"/>), so every rated total converts exactly; the range is +-92 billion units.
/// A conversion that would lose a digit throws: it is a bug, never a silent rounding.
/// </remarks>
public static class LedgerAmount
{
    public const int Scale = 8;
    private const decimal Factor = 100_000_000m;

    public static long ToUnits(decimal amount)
    {
        var scaled = amount * Factor;
        if (scaled != decimal.Truncate(scaled))
        {
            throw new ArgumentException($"{amount} has more than {Scale} decimal places", nameof(amount));
        }

        return checked((long)scaled);
    }

    public static decimal FromUnits(long units) => DecimalText.Normalize(units / Factor);

    /// <summary>A sum of units, which may exceed a long (rollups, bills).</summary>
    public static decimal FromUnits(decimal units) => DecimalText.Normalize(units / Factor);

    /// <summary>Rounds to the ledger's scale, half away from zero: used only where a configured conversion rate creates finer digits.</summary>
    public static decimal Round(decimal amount) => decimal.Round(amount, Scale, MidpointRounding.AwayFromZero);
}
