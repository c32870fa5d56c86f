namespace Tollgate.Core.Rating;

/// <summary>Why an event could not be priced: a stable code (see <see cref="Events.ErrorCodes"/>), the field at fault and why.</summary>
public sealed record RatingError(string Code, string Message, string? Field = null);
