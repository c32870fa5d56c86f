namespace Tollgate.Core.Tenants;

/// <summary>
/// A benefit level: once a tenant's cumulative recharge reaches <see cref="Threshold"/> (in its recharge currency),
/// its charges are multiplied by <see cref="Discount"/> (0.9 = 10% off).
/// </summary>
public sealed record DiscountTier(decimal Threshold, decimal Discount);
