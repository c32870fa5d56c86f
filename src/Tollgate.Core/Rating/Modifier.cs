namespace Tollgate.Core.Rating;

/// <summary>
/// Why a line's amount is what it is: a price choice (key mode, plan, tier, cap) or a factor applied
/// (multiple, attribute, channel or user discount, exchange rate). <see cref="Factor"/> is null for choices.
/// </summary>
public sealed record Modifier(string Kind, decimal? Factor, string Note);
