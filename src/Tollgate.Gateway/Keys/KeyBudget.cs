namespace Tollgate.Gateway.Keys;

/// <summary>A gateway key's hard spend limit: <see cref="Limit"/> per <see cref="Period"/> (day, month in the tenant's zone, or lifetime).</summary>
public sealed record KeyBudget(decimal Limit, string Period)
{
    public const string Day = "day";
    public const string Month = "month";
    public const string Lifetime = "lifetime";

    public static bool IsPeriod(string period) => period is Day or Month or Lifetime;
}
