namespace Tollgate.Storage.Ledger;

/// <summary>A hold's pending transfer, as read back to capture or void it.</summary>
internal sealed class PendingTransfer
{
    public long TransferId { get; set; }

    public long DebitAccount { get; set; }

    public long CreditAccount { get; set; }

    public decimal Amount { get; set; }

    public string? HoldId { get; set; }
}
