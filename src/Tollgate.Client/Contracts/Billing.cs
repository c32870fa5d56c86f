namespace Tollgate.Client.Contracts;

/// <summary>
/// A bill for one closed billing cycle [start, end) in the tenant's time zone: immutable once issued. One section
/// per unit charged (credits, api_tokens, CNY, USD ...). Its id is the cycle: 2026-11-20 (daily) or 2026-11 (monthly).
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

/// <param name="Covered">What free quotas and resource packs paid, in this unit.</param>
/// <param name="Arrears">What no balance could pay: owed, settled by the next top-up.</param>
/// <param name="Uncollected">What a strict tenant was charged beyond its holds and balances: collected from nobody.</param>
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

/// <param name="LateFrom">Set on a late line: the cycle its events belong to, whose bill was issued before they arrived.</param>
public sealed record BillItem(
    string Type,
    string Model,
    DateOnly? LateFrom,
    long Events,
    IReadOnlyDictionary<string, decimal> Quantities,
    decimal Amount,
    IReadOnlyList<string> PriceBooks);

public sealed record ChannelSubtotal(string Channel, long Events, decimal Amount);

/// <param name="Covered">The part of the charges this kind of balance paid, in the section's unit.</param>
/// <param name="Amount">What was taken from the balances, in their own unit (a resource pack's tokens).</param>
public sealed record BillPayment(string Kind, string AccountUnit, decimal Covered, decimal Amount);

/// <summary>A page of bills, newest first.</summary>
/// <param name="NextCursor">Pass it as <c>cursor</c> for the next page; null on the last page.</param>
public sealed record BillList(IReadOnlyList<Bill> Bills, string? NextCursor = null);

/// <summary>Which bills to list: cycles starting on or after <paramref name="From"/> and before <paramref name="To"/>.</summary>
/// <param name="Limit">Bills a page holds (1 to 500; the server's default when null).</param>
/// <param name="Cursor">A previous page's next_cursor.</param>
public sealed record BillQuery(DateOnly? From = null, DateOnly? To = null, int? Limit = null, string? Cursor = null);

/// <summary>Issue the bill of a closed cycle now, without waiting for the delay (and any unissued bill before it).</summary>
/// <param name="Cycle">The cycle's first day: 2026-11-20, or 2026-11-01 for a monthly cycle.</param>
public sealed record IssueBillRequest(DateOnly? Cycle);
