namespace Tollgate.Core.Funding;

/// <summary>What an account is for; decides where it stands in the funding order.</summary>
public enum AccountKind
{
    /// <summary>Bought balance (money converted to credits or tokens); non-refundable.</summary>
    Recharge,

    /// <summary>Given balance (grants, promotions, the bonus part of a recharge); may expire.</summary>
    Bonus,

    /// <summary>A quantity of tokens, usually of one model or type, with an expiry; pays in tokens, not money.</summary>
    ResourcePack,

    /// <summary>A number of free events (30 free API calls; 10 free workflow test runs a day).</summary>
    FreeQuota,
}
