namespace Tollgate.Storage.Ledger;

/// <summary>Why money moved.</summary>
public static class TransferKinds
{
    public const string TopUp = "topup";
    public const string Grant = "grant";
    public const string Usage = "usage";
    public const string Arrears = "arrears";
    public const string SettleArrears = "settle_arrears";
    public const string Hold = "hold";
    public const string Capture = "capture";
    public const string Void = "void";
    public const string Expire = "expire";
    public const string QuotaReset = "quota_reset";
    public const string Adjustment = "adjustment";
}
