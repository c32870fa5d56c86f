namespace Tollgate.Storage.Alerts;

/// <summary>What an alert is about.</summary>
public static class AlertKinds
{
    public const string LowBalance = "low_balance";
    public const string BillIssued = "bill_issued";
    public const string QuotaExhausted = "quota_exhausted";

    /// <summary>A strict tenant's settle charged more than its hold and balances covered; the rest was not collected.</summary>
    public const string Uncollected = "uncollected";

    /// <summary>A gateway key's spending passed its soft limit for the period (raised once per period).</summary>
    public const string GatewayBudgetSoftLimit = "gateway_budget_soft_limit";

    public static IReadOnlyList<string> All { get; } = [LowBalance, BillIssued, QuotaExhausted, Uncollected, GatewayBudgetSoftLimit];
}
