namespace Tollgate.Client.Contracts;

/// <summary>One balance: <see cref="Available"/> = posted - held + any overdraft; arrears are what is owed.</summary>
public sealed record Balance(long AccountId, string Owner, string Kind, string Unit, decimal Posted, decimal Held, decimal Available, DateTimeOffset? ExpiresAt);

public sealed record Balances(string Tenant, IReadOnlyList<Balance> Accounts, IReadOnlyDictionary<string, decimal> Arrears);

public sealed record LedgerTransfer(
    long Id,
    DateTimeOffset Time,
    string Kind,
    string Unit,
    decimal Amount,
    bool Pending,
    long DebitAccount,
    string DebitKind,
    string DebitOwner,
    long CreditAccount,
    string CreditKind,
    string CreditOwner,
    string? EventId,
    string? HoldId);

/// <summary>A page of the ledger, oldest first; pass <see cref="NextCursor"/> back as <c>cursor</c> for the next.</summary>
public sealed record TransferPage(IReadOnlyList<LedgerTransfer> Transfers, string? NextCursor);

public enum TopUpKind
{
    Recharge,
    Grant,
    ResourcePack,
}

/// <summary>What an account may pay for; empty or null lists mean anything.</summary>
public sealed record Scope(IReadOnlyList<string>? Types = null, IReadOnlyList<string>? Models = null, IReadOnlyList<string>? Channels = null);

/// <summary>
/// Money or units added, idempotent by <see cref="Id"/>: a recharge (with an optional bonus), a grant (a bonus
/// balance, optionally expiring) or a resource pack (tokens, usually scoped to a model, expiring).
/// </summary>
/// <param name="Paid">What the customer paid, counted into the cumulative recharge (discount tiers).</param>
public sealed record TopUpRequest(
    string Id,
    TopUpKind Kind,
    string Unit,
    decimal Amount,
    decimal Bonus = 0m,
    string? Owner = null,
    DateTimeOffset? ExpiresAt = null,
    Scope? Scope = null,
    decimal Paid = 0m);

public sealed record TopUpResult(string Id, long AccountId, long? BonusAccountId, decimal ArrearsSettled, bool Duplicate);

/// <summary>A free quota: <see cref="Limit"/> free units, refilled at the tenant's midnight (<c>day</c>) or never (<c>lifetime</c>).</summary>
public sealed record FreeQuotaRequest(string Unit, decimal Limit, string Period = "lifetime", string? Owner = null, Scope? Scope = null);

/// <summary>An operator's correction of one account (positive adds, negative removes), recorded with who and why.</summary>
public sealed record AdjustmentRequest(long AccountId, decimal Amount, string Reason);

public sealed record AccountCreated(long AccountId);
