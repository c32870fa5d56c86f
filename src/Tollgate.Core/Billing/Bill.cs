namespace Tollgate.Core.Billing;

/// <summary>
/// A tenant's bill for one closed billing cycle, as issued: immutable. Each unit charged has its own section.
/// Dates are local dates of the tenant's time zone; the cycle is [<see cref="Start"/>, <see cref="End"/>).
/// </summary>
public sealed record Bill(
    string Tenant,
    string Id,
    string Period,
    DateOnly Start,
    DateOnly End,
    string TimeZone,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    DateTimeOffset IssuedAt,
    IReadOnlyList<string> PriceBooks,
    IReadOnlyList<BillSection> Units);

/// <summary>
/// What a bill says about one unit: lines by billing type and model, subtotals by channel, which balances paid
/// (free quotas and resource packs among them), what went into arrears, and the total charged.
/// </summary>
/// <param name="Covered">What free quotas and resource packs paid, in this unit.</param>
/// <param name="Uncollected">What a strict tenant was charged beyond its holds and balances: collected from nobody (also listed in <see cref="Paid"/>).</param>
public sealed record BillSection(
    string Unit,
    long Events,
    decimal Total,
    decimal Covered,
    decimal Arrears,
    IReadOnlyList<BillItem> Lines,
    IReadOnlyList<ChannelSubtotal> Channels,
    IReadOnlyList<BillPayment> Paid,
    decimal Uncollected = 0m);

/// <summary>
/// The events of one billing type and model: their count, quantity per meter, and amount. A late line holds events
/// of an earlier cycle that arrived after that cycle's bill was issued; <see cref="LateFrom"/> is their cycle.
/// </summary>
public sealed record BillItem(
    string Type,
    string Model,
    DateOnly? LateFrom,
    long Events,
    IReadOnlyDictionary<string, decimal> Quantities,
    decimal Amount,
    IReadOnlyList<string> PriceBooks);

public sealed record ChannelSubtotal(string Channel, long Events, decimal Amount);

/// <summary>What one kind of balance paid: <see cref="Covered"/> in the section's unit, <see cref="Amount"/> in the account's unit.</summary>
public sealed record BillPayment(string Kind, string AccountUnit, decimal Covered, decimal Amount);
