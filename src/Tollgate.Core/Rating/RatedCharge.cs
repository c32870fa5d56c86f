namespace Tollgate.Core.Rating;

/// <summary>
/// The price of one event, explained: its lines, their exact sum, the total rounded once to the settlement scale,
/// and the price book version that priced it.
/// </summary>
public sealed record RatedCharge(
    string EventId,
    decimal Total,
    decimal Subtotal,
    string Unit,
    IReadOnlyList<ChargeLine> Lines,
    string PriceBookId,
    string PriceBookVersion)
{
    /// <summary><c>id@version</c>, as written on charges and bills.</summary>
    [System.Text.Json.Serialization.JsonIgnore] // computed from the two above
    public string PriceBook => $"{PriceBookId}@{PriceBookVersion}";

    [System.Text.Json.Serialization.JsonIgnore] // computed from the lines
    public bool Estimated => Lines.Any(l => l.Estimated);
}
