namespace Tollgate.Core.Catalogs;

/// <summary>
/// A context-size tier: when <see cref="Meter"/> exceeds <see cref="Above"/>, the whole request is priced with
/// <see cref="Prices"/> (overlaying the item's prices), like the higher rate above 200K input tokens.
/// </summary>
public sealed record PriceTier(string Meter, decimal Above, IReadOnlyDictionary<string, MeterPrice> Prices);
