using NodaTime;

namespace Tollgate.Core.Funding;

/// <summary>
/// An account as funding sees it: what it may pay for and how much it can pay now
/// (<see cref="Available"/> = posted balance - held - floor, never negative).
/// </summary>
public sealed record FundingSource(
    long AccountId,
    AccountKind Kind,
    string Unit,
    decimal Available,
    AccountScope Scope,
    Instant? ExpiresAt = null,
    int Priority = 0);
