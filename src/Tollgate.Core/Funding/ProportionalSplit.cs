namespace Tollgate.Core.Funding;

/// <summary>
/// Splits an amount across balances in proportion to them, at a fixed decimal scale, losing and creating nothing.
/// </summary>
/// <remarks>
/// Largest-remainder method: every share is first rounded down to the scale; the quanta still missing go one each
/// to the shares with the largest rounded-off remainders, ties to the earlier balance. So the shares always add up
/// to exactly the amount, no share exceeds its balance, and the same inputs always give the same split.
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
        var given = 0m;
        for (var i = 0; i < shares.Length; i++)
        {
            var exact = amount * balances[i] / total;
            shares[i] = decimal.Round(exact, scale, MidpointRounding.ToZero);
            remainders[i] = exact - shares[i];
            given += shares[i];
        }

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

}
