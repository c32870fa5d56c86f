namespace Tollgate.Core.Catalogs;

/// <summary>
/// A ceiling on unit prices, such as the own-key maximum of 0.01 credits / 1K input tokens: a resolved price above
/// the cap is charged at the cap.
/// </summary>
public sealed record PriceCap(IReadOnlySet<string> Types, string? KeyMode, string? Plan, IReadOnlyDictionary<string, MeterPrice> Prices);
