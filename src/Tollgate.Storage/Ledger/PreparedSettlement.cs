namespace Tollgate.Storage.Ledger;

/// <summary>
/// A settlement's usage rated before its write transaction (the tenant read, the event rated), so that the
/// group-commit writer only writes: what <see cref="LedgerStore.SettleAsync(Sql.WriteScope, PreparedSettlement)"/>
/// settles, or the rejection it answers.
/// </summary>
public sealed class PreparedSettlement
{
    internal PreparedSettlement(string tenant, string holdId, RecordResult rejected) => (Tenant, HoldId, Rejected) = (tenant, holdId, rejected);

    internal PreparedSettlement(string tenant, string holdId, LedgerStore.Prepared prepared) => (Tenant, HoldId, Prepared) = (tenant, holdId, prepared);

    public string Tenant { get; }

    public string HoldId { get; }

    /// <summary>Why the usage cannot be settled before any write (unknown tenant, the usage cannot be rated); null when it may be written.</summary>
    public RecordResult? Rejected { get; }

    /// <summary>The rated event.</summary>
    internal LedgerStore.Prepared? Prepared { get; }
}
