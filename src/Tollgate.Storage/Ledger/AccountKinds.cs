using Tollgate.Core.Funding;

namespace Tollgate.Storage.Ledger;

/// <summary>Account kinds as stored: the four that fund usage, and the system accounts that balance them.</summary>
public static class AccountKinds
{
    public const string Recharge = "recharge";
    public const string Bonus = "bonus";
    public const string ResourcePack = "resource_pack";
    public const string FreeQuota = "free_quota";

    /// <summary>Where top-ups and grants come from: goes negative by everything ever given.</summary>
    public const string Issuance = "issuance";

    /// <summary>Where usage goes: everything ever charged.</summary>
    public const string Revenue = "revenue";

    /// <summary>Usage no balance could cover: negative by what the payer owes; settled first by the next top-up.</summary>
    public const string Arrears = "arrears";

    /// <summary>Where expired balances go.</summary>
    public const string Expiry = "expiry";

    public static readonly string[] System = [Issuance, Revenue, Arrears, Expiry];

    /// <summary>Whether balance reads list accounts of this kind (as their SQL does): the funding accounts and arrears, not the system accounts they balance.</summary>
    public static bool IsListed(string kind) => kind is not (Issuance or Revenue or Expiry);

    public static AccountKind? Funding(string kind) => kind switch
    {
        Recharge => AccountKind.Recharge,
        Bonus => AccountKind.Bonus,
        ResourcePack => AccountKind.ResourcePack,
        FreeQuota => AccountKind.FreeQuota,
        _ => null,
    };

    public static string Name(AccountKind kind) => kind switch
    {
        AccountKind.Recharge => Recharge,
        AccountKind.Bonus => Bonus,
        AccountKind.ResourcePack => ResourcePack,
        _ => FreeQuota,
    };
}
