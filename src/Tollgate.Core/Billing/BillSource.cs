namespace Tollgate.Core.Billing;

/// <summary>
/// One summed line of usage waiting for a bill: the events of a cycle with the same type, model, channel, price book
/// and unit, and one item of them: <c>""</c> (their count and charge), <c>meter:&lt;meter&gt;</c> (a quantity) or
/// <c>paid:&lt;account kind&gt;:&lt;account unit&gt;</c> (what a kind of balance covered and paid; the kind
/// <see cref="Uncollected"/> is what nothing paid, for a strict tenant).
/// </summary>
public sealed record BillSource(
    DateOnly Cycle,
    string Type,
    string Model,
    string Channel,
    string PriceBook,
    string Unit,
    string Item,
    long Events,
    decimal Quantity,
    decimal Amount,
    decimal Paid)
{
    public const string MeterPrefix = "meter:";
    public const string PaidPrefix = "paid:";

    /// <summary>The "payment kind" of what a strict tenant's settle charged beyond its hold and balances: collected from nobody.</summary>
    public const string Uncollected = "uncollected";
}
