namespace Tollgate.Core.Catalogs;

/// <summary>
/// The price of one meter: <see cref="Price"/> in <see cref="Currency"/> per <see cref="Per"/> units of the meter
/// (per 1,000 tokens, per 3,600 seconds, per 1 request ...). A price may instead be a multiple of another meter's
/// price (cache reads at 0.1 x the input price), or be marked as not offered (a "-" in a source table).
/// </summary>
public sealed record MeterPrice(decimal Price, decimal Per, string Currency, string? MultipleOf = null, decimal Factor = 1m, bool NotOffered = false);
