using NodaTime;
using Tollgate.Core.Events;
using Tollgate.Core.Funding;

namespace Tollgate.Storage.Ledger;

/// <summary>A funding account to open for a tenant (owner "") or one of its end users.</summary>
/// <param name="Overdraft">How far below zero the account may go (its floor is minus this).</param>
/// <param name="QuotaPeriod">Free quotas: "lifetime" or "day" (reset at the tenant's midnight); its balance starts at <paramref name="QuotaLimit"/>.</param>
public sealed record OpenAccount(
    string Tenant,
    AccountKind Kind,
    string Unit,
    string Owner = "",
    AccountScope? Scope = null,
    decimal Overdraft = 0m,
    Instant? ExpiresAt = null,
    int Priority = 0,
    string? QuotaPeriod = null,
    decimal? QuotaLimit = null);

/// <summary>
/// Money or units added to a tenant's balances, idempotent by <see cref="Id"/>: a recharge (to the owner's recharge
/// account of the unit, with an optional bonus), a grant (a new bonus account, optionally expiring) or a resource
/// pack purchase (a new pack account). Arrears of the unit are settled first.
/// </summary>
/// <param name="Paid">What the customer paid, for the cumulative recharge (discount tiers), such as USD 10 for 1000 credits.</param>
public sealed record TopUp(
    string Tenant,
    string Id,
    AccountKind Kind,
    string Unit,
    decimal Amount,
    string Owner = "",
    decimal Bonus = 0m,
    Instant? ExpiresAt = null,
    AccountScope? Scope = null,
    decimal Paid = 0m);

/// <summary>A hold of credit for a call in flight: a fixed amount, or what an estimated event would cost.</summary>
public sealed record HoldRequest(
    string Tenant,
    string HoldId,
    Duration Timeout,
    UsageEvent? Estimate = null,
    decimal? Amount = null,
    string? Unit = null,
    string Owner = "",
    string Type = BillingTypes.LlmText,
    string Model = "",
    string Channel = Channels.Api);
