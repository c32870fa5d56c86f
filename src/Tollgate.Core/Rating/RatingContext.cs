namespace Tollgate.Core.Rating;

/// <summary>
/// What rating needs to know about the tenant: its plan and its user discount (1 = none), with why that discount
/// applies (written on the charge's user_discount modifier).
/// </summary>
public sealed record RatingContext(string Plan = Events.Plans.Free, decimal UserDiscount = 1m, string DiscountReason = "tenant's user discount")
{
    public static RatingContext Default { get; } = new();
}
