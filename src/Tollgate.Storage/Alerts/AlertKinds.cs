namespace Tollgate.Storage.Alerts;

/// <summary>What an alert is about.</summary>
public static class AlertKinds
{
    public const string LowBalance = "low_balance";
    public const string BillIssued = "bill_issued";
    public const string QuotaExhausted = "quota_exhausted";

    /// <summary>A strict tenant's settle charged more than its hold and balances covered; the rest was not collected.</summary>
    public const string Uncollected = "uncollected";

    public static IReadOnlyList<string> All { get; } = [LowBalance, BillIssued, QuotaExhausted, Uncollected];
}
