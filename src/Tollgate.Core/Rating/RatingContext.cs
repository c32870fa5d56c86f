namespace Tollgate.Core.Rating;

/// <summary>What rating needs to know about the tenant: its plan and its user discount (1 = none).</summary>
public sealed record RatingContext(string Plan = Events.Plans.Free, decimal UserDiscount = 1m)
{
    public static RatingContext Default { get; } = new();
}
