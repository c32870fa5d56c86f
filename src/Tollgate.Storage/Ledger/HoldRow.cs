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

    /// <summary>The answer of the settling event, kept here by holds settled before <see cref="SettledBy"/> was.</summary>
    public string? Result { get; set; }

    /// <summary>The event that settled the hold, whose row has the answer.</summary>
    public string? SettledBy { get; set; }
}
