namespace Tollgate.Core.Events;

/// <summary>A parsed event, or every field error found. <see cref="Id"/> is set whenever the id could be read.</summary>
public sealed record UsageEventParseResult(UsageEvent? Event, string? Id, IReadOnlyList<FieldError> Errors)
{
    public bool IsSuccess => Event is not null;

    public static UsageEventParseResult Ok(UsageEvent e) => new(e, e.Id, []);

    public static UsageEventParseResult Fail(string? id, params FieldError[] errors) => new(null, id, errors);
}
