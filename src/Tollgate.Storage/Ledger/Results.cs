using System.Text.Json.Serialization;
using Tollgate.Core.Rating;

namespace Tollgate.Storage.Ledger;

/// <summary>One account's part in paying a charge, in the account's unit; <see cref="Covers"/> is in the charge's unit.</summary>
public sealed record Payment(long AccountId, string Kind, string Unit, decimal Amount, decimal Covers);

/// <summary>
/// What recording an event did: charged (with who paid what and any arrears) or rejected (with why). A repeat of an
/// event returns the original result with <see cref="Duplicate"/> set.
/// </summary>
/// <param name="Uncollected">What a settle charged beyond what its hold and a strict tenant's balances covered: nobody pays it (never arrears). Left out of the stored answer when zero, as nearly always.</param>
public sealed record RecordResult(
    string EventId,
    string Status,
    RatedCharge? Charge = null,
    string? Payer = null,
    string? Unit = null,
    decimal Amount = 0m,
    IReadOnlyList<Payment>? Payments = null,
    decimal Arrears = 0m,
    RatingError? Error = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Duplicate = false,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] decimal Uncollected = 0m)
{
    /// <summary>
    /// The payer's balances as the transaction that charged this left them, so that the answer needs no read after
    /// the commit; null when the answer comes from elsewhere (a repeat answered from the stored answer). Never stored.
    /// </summary>
    [JsonIgnore]
    public IReadOnlyList<AccountBalance>? PayerBalances { get; init; }

    public const string Charged = "charged";
    public const string Rejected = "rejected";
    public const string Quoted = "quoted";

    /// <summary>The owner of the balances that paid: the end user under message billing, else the tenant ("").</summary>
    [JsonIgnore] // computed from Payer
    public string PayerOwner => Payer is { } p && p.StartsWith("end_user:", StringComparison.Ordinal) ? p["end_user:".Length..] : string.Empty;

    public static RecordResult Reject(string eventId, string code, string message, string? field = null) =>
        new(eventId, Rejected, Error: new RatingError(code, message, field));
}

/// <summary>The state of a hold: held, settled, released, expired; or refused (nothing held) with why.</summary>
/// <param name="Covered">On an <c>insufficient_funds</c> refusal, how much of the amount the balances could cover (what a smaller call may hold).</param>
public sealed record HoldResult(string HoldId, string Status, string? Unit = null, decimal Amount = 0m, IReadOnlyList<Payment>? Payments = null, RatingError? Error = null, decimal? Covered = null)
{
    public const string Held = "held";
    public const string Settled = "settled";
    public const string Released = "released";
    public const string Expired = "expired";
    public const string Refused = "refused";

    /// <summary>A release or expiry that ended the hold now (not one that found it already over, or not due).</summary>
    public bool Ended { get; init; }
}

/// <summary>A top-up's effect: the account credited, the bonus account if any, and arrears settled.</summary>
public sealed record TopUpResult(string Id, long AccountId, long? BonusAccountId, decimal ArrearsSettled, bool Duplicate = false);

/// <summary>An account's balance as a tenant sees it. <see cref="Available"/> = posted - held - floor.</summary>
public sealed record AccountBalance(long AccountId, string Owner, string Kind, string Unit, decimal Posted, decimal Held, decimal Available, long? ExpiresAt)
{
    /// <summary>An account's balance from its stored amounts (whole 10^-8 units); arrears have nothing available.</summary>
    internal static AccountBalance Of(long accountId, string owner, string kind, string unit, decimal posted, decimal pending, decimal floor, long? expiresAt) =>
        new(accountId, owner, kind, unit, Core.Money.LedgerAmount.FromUnits(posted), Core.Money.LedgerAmount.FromUnits(pending),
            kind == AccountKinds.Arrears ? 0m : Core.Money.LedgerAmount.FromUnits(Math.Max(0, posted - pending - floor)), expiresAt);
}

/// <summary>What the consistency check found: every mismatch between stored balances and the transfers.</summary>
public sealed record LedgerCheckReport(int Accounts, int Transfers, IReadOnlyList<string> Problems)
{
    public bool Clean => Problems.Count == 0;
}

/// <summary>Error codes of the ledger (beside the rating codes).</summary>
public static class LedgerErrors
{
    public const string UnknownTenant = "unknown_tenant";
    public const string UnknownPriceBook = "unknown_price_book";
    public const string InsufficientFunds = "insufficient_funds";
    public const string IdempotencyConflict = "idempotency_conflict";
    public const string NoRouteRate = "no_route_rate";
    public const string HoldNotFound = "hold_not_found";
    public const string HoldNotActive = "hold_not_active";
    public const string HoldExpired = "hold_expired";
    public const string UnknownAccount = "unknown_account";

    /// <summary>An amount or a balance past the ledger's limits (LedgerAmount.MaxAmount, MaxBalance).</summary>
    public const string AmountOutOfRange = "amount_out_of_range";
}

/// <summary>A request the ledger refused before changing anything, with a stable code from <see cref="LedgerErrors"/>.</summary>
public sealed class LedgerException(string code, string message, string? field = null) : Exception(message)
{
    public string Code { get; } = code;

    public string? Field { get; } = field;
}
