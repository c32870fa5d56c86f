namespace Tollgate.Storage.Ledger;

/// <summary>
/// One immutable double-entry movement: <see cref="Amount"/> (10^-8 units) from the debit account to the credit
/// account. A pending transfer (a hold) only reserves; a capture or void resolves (part of) a pending one.
/// </summary>
public sealed record Transfer(
    string TenantId,
    long DebitAccount,
    long CreditAccount,
    decimal Amount,
    string Unit,
    string Kind,
    bool Pending = false,
    long? PendingId = null,
    string? EventId = null,
    string? HoldId = null,
    long CreatedAt = 0,
    long TransferId = 0);
