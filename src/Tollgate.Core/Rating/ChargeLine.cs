namespace Tollgate.Core.Rating;

/// <summary>
/// One meter of a charge: <c>Amount = Quantity x UnitPrice x (product of modifier factors) / Per</c>, in the
/// settlement unit, not rounded (the charge total is rounded once; see <see cref="Money.Settlement"/>).
/// </summary>
public sealed record ChargeLine(
    string Meter,
    decimal Quantity,
    decimal UnitPrice,
    decimal Per,
    string Currency,
    decimal Amount,
    IReadOnlyList<Modifier> Modifiers,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)] bool Estimated);
