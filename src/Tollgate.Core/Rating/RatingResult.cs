using System.Diagnostics.CodeAnalysis;

namespace Tollgate.Core.Rating;

/// <summary>A rated charge or the reason there is none: an expected outcome, not an exception.</summary>
public sealed record RatingResult(RatedCharge? Charge, RatingError? Error)
{
    [MemberNotNullWhen(true, nameof(Charge))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Charge is not null;

    public static RatingResult Ok(RatedCharge charge) => new(charge, null);

    public static RatingResult Fail(string code, string message, string? field = null) => new(null, new RatingError(code, message, field));
}
