using System.Numerics;

namespace Tollgate.Core.Funding;

/// <summary>
/// Splits an amount across balances in proportion to them, at a fixed decimal scale, losing and creating nothing.
/// </summary>
/// <remarks>
/// Largest-remainder method: every share is first rounded down to the scale; the quanta still missing go one each
/// to the shares with the largest rounded-off remainders, ties to the earlier balance. So the shares always add up
/// to exactly the amount, no share exceeds its balance, and the same inputs always give the same split.
/// Amount x balance can pass a decimal's 7.9 x 10^28 (amounts up to 10^15 against balances up to 10^20); then the
/// shares are computed in exact big integers instead (<see cref="ExactShares"/>).
/// </remarks>
public static class ProportionalSplit
{
    public static decimal[] Split(decimal amount, IReadOnlyList<decimal> balances, int scale)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        var shares = new decimal[balances.Count];
        var total = 0m;
        foreach (var balance in balances)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(balance);
            total += balance;
        }

        if (total <= amount)
        {
            // Not enough (or just enough): everything is taken; the caller sees what is left uncovered.
            for (var i = 0; i < shares.Length; i++)
            {
                shares[i] = balances[i];
            }

            return shares;
        }

        var quantum = Money.Settlement.QuantumOf(scale);
        var remainders = new decimal[balances.Count];
        if (amount <= DecimalSafe && total <= DecimalSafe)
        {
            for (var i = 0; i < shares.Length; i++)
            {
                var exact = amount * balances[i] / total;
                shares[i] = decimal.Round(exact, scale, MidpointRounding.ToZero);
                remainders[i] = exact - shares[i];
            }
        }
        else
        {
            ExactShares(amount, balances, total, scale, shares, remainders);
        }

        var given = shares.Sum();
        var order = Enumerable.Range(0, shares.Length).OrderByDescending(i => remainders[i]).ThenBy(i => i).ToArray();
        while (given < amount)
        {
            var before = given;
            foreach (var i in order)
            {
                var step = Math.Min(Math.Min(quantum, amount - given), balances[i] - shares[i]);
                if (step > 0m)
                {
                    shares[i] += step;
                    given += step;
                }

                if (given == amount)
                {
                    break;
                }
            }

            // Cannot happen while the balances exceed the amount; a guard against an endless loop all the same.
            if (given == before)
            {
                throw new InvalidOperationException("proportional split made no progress");
            }
        }

        return shares;
    }

    /// <summary>Below this, amount x balance fits a decimal with room to spare.</summary>
    private const decimal DecimalSafe = 100_000_000_000_000m;

    /// <summary>
    /// Each share rounded down to the scale, and its rounded-off remainder (as a fraction of a quantum's worth of the
    /// total, which orders them as the exact remainders do), from whole numbers: amount, balances and total times
    /// 10^k, k their largest scale: share = amount x balance / total, so the total carries 10^k once more.
    /// </summary>
    private static void ExactShares(decimal amount, IReadOnlyList<decimal> balances, decimal total, int scale, decimal[] shares, decimal[] remainders)
    {
        var k = Math.Max(amount.Scale, Math.Max(total.Scale, balances.Max(b => b.Scale)));
        var a = Whole(amount, k) * BigInteger.Pow(10, scale);
        var t = Whole(total, k) * BigInteger.Pow(10, k);
        var quantum = BigInteger.Pow(10, scale);
        for (var i = 0; i < shares.Length; i++)
        {
            var q = BigInteger.DivRem(a * Whole(balances[i], k), t, out var r);
            shares[i] = (decimal)q / (decimal)quantum;
            remainders[i] = (decimal)(r * 1_000_000_000_000 / t);
        }
    }

    private static BigInteger Whole(decimal value, int k)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var mantissa = unchecked(((BigInteger)(uint)bits[2] << 64) | ((BigInteger)(uint)bits[1] << 32) | (uint)bits[0]);
        return mantissa * BigInteger.Pow(10, k - value.Scale);
    }
}
