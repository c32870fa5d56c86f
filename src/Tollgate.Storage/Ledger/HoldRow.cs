namespace Tollgate.Storage.Ledger;

/// <summary>A hold as read back to settle, release or expire it.</summary>
internal sealed class HoldRow
{
    public string Status { get; set; } = string.Empty;

    public string Unit { get; set; } = string.Empty;

    /// <summary>Whole 10^-8 units.</summary>
    public decimal Amount { get; set; }

    public string Payer { get; set; } = string.Empty;

    public long ExpiresAt { get; set; }

    public string? Result { get; set; }
}
