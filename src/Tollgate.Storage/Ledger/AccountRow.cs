namespace Tollgate.Storage.Ledger;

/// <summary>An account row, loaded (and locked) for the length of one write transaction and updated in memory.</summary>
internal sealed class AccountRow
{
    private Core.Funding.AccountScope? parsedScope;

    public string TenantId { get; set; } = string.Empty;

    public long AccountId { get; set; }

    public string Owner { get; set; } = string.Empty;

    public string Kind { get; set; } = string.Empty;

    public string Unit { get; set; } = string.Empty;

    public string Scope { get; set; } = "{}";

    /// <summary>The scope, parsed once per transaction rather than once per event funded from this account.</summary>
    public Core.Funding.AccountScope ParsedScope => parsedScope ??= ScopeDocument.Read(Scope);

    public decimal Floor { get; set; }

    public long? ExpiresAt { get; set; }

    public long Priority { get; set; }

    public string? QuotaPeriod { get; set; }

    public decimal? QuotaLimit { get; set; }

    public long? PeriodStart { get; set; }

    public decimal Posted { get; set; }

    public decimal Pending { get; set; }

    public bool Dirty { get; set; }

    /// <summary>What the account can still pay: posted less held less its floor.</summary>
    public decimal Available => Posted - Pending - Floor;
}
