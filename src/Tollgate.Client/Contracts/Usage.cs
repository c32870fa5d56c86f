using System.Text.Json;

namespace Tollgate.Client.Contracts;

/// <summary>
/// A usage event, as documented in docs/usage-events.md. Quantities are decimals; <see cref="Time"/> carries its offset.
/// </summary>
public sealed record UsageEvent(
    string Id,
    string Tenant,
    DateTimeOffset Time,
    string Type,
    string Model,
    IReadOnlyDictionary<string, decimal>? Usage = null,
    string? Subject = null,
    string? KeyMode = null,
    string? Channel = null,
    IReadOnlyDictionary<string, JsonElement>? Attributes = null,
    JsonElement? Content = null);

public sealed record EventBatch(IReadOnlyList<UsageEvent> Events);

public sealed record Modifier(string Kind, decimal? Factor, string Note);

public sealed record ChargeLine(string Meter, decimal Quantity, decimal UnitPrice, decimal Per, string Currency, decimal Amount, IReadOnlyList<Modifier> Modifiers, bool? Estimated = null);

/// <summary>An event's price, explained line by line; <see cref="Total"/> is rounded once to the price book's scale.</summary>
public sealed record Charge(decimal Total, decimal Subtotal, string Unit, IReadOnlyList<ChargeLine> Lines, string PriceBook);

/// <summary>What one balance paid: <see cref="Amount"/> in the account's unit, covering <see cref="Covers"/> of the charge.</summary>
public sealed record Payment(long AccountId, string Kind, string Unit, decimal Amount, decimal Covers);

public sealed record ItemError(string Code, string Message, string? Field = null);

/// <summary>
/// The outcome of recording an event: <c>charged</c> (with its charge, who paid what, arrears) or <c>rejected</c>
/// (with why); <see cref="Duplicate"/> when this id was recorded before and this is the original answer.
/// <see cref="Balances"/> are the payer's balances after the request.
/// </summary>
public sealed record EventResult(
    string Id,
    string Status,
    bool Duplicate = false,
    Charge? Charge = null,
    string? Payer = null,
    string? Unit = null,
    decimal Amount = 0m,
    IReadOnlyList<Payment>? Payments = null,
    decimal Arrears = 0m,
    ItemError? Error = null,
    IReadOnlyList<Balance>? Balances = null,
    decimal Uncollected = 0m);

public sealed record BatchResult(int Charged, int Duplicates, int Rejected, IReadOnlyList<EventResult> Results);

/// <summary>What an event would cost, without charging it.</summary>
public sealed record Quote(string Id, Charge Charge, string Payer, string Unit, decimal Amount);

/// <summary>A recorded event: the event as sent and the answer given.</summary>
public sealed record StoredEvent(string Id, string Status, DateTimeOffset Time, DateTimeOffset RecordedAt, JsonElement? Event, EventResult Result);
