namespace Tollgate.Core.Funding;

/// <summary>How money balances (recharge and bonus) share a charge, after free quotas and resource packs.</summary>
public enum FundingOrder
{
    /// <summary>In proportion to their available balances: a fee of 10 on 10 + 10 takes 5 from each (the default).</summary>
    Proportional,

    /// <summary>Bonus balances first (earliest expiry first), then recharge.</summary>
    BonusFirst,

    /// <summary>Lowest priority number first, then earliest expiry.</summary>
    Priority,

    /// <summary>Earliest expiry first; balances that never expire last.</summary>
    EarliestExpiry,
}
