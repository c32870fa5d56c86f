using Prometheus;

namespace Tollgate.Server.Hosting;

/// <summary>
/// A Prometheus counter of money: the sums are kept exactly in decimal and the counter is set to the nearest double,
/// so rounding errors do not pile up over millions of small charges (money is never summed in double).
/// </summary>
internal sealed class DecimalCounter(Counter counter)
{
    private readonly Dictionary<string, decimal> sums = new(StringComparer.Ordinal);

    public void Add(decimal amount, params string[] labels)
    {
        if (amount <= 0m)
        {
            return;
        }

        var key = string.Join('\u001f', labels);
        lock (sums)
        {
            var sum = sums[key] = sums.GetValueOrDefault(key) + amount;
            counter.WithLabels(labels).IncTo((double)sum);
        }
    }
}
