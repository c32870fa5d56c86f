namespace Tollgate.Storage.Catalogs;

/// <summary>
/// What a dry run found: <see cref="Refused"/> when the candidate version is not valid (nothing was rated); otherwise
/// the candidate's version name, the events rated, how many would be charged differently, those the candidate cannot
/// price (by error code), and the comparison per tenant and unit.
/// </summary>
public sealed record DryRunResult(PriceBookChange? Refused, string? Version, int Events, int Changed, IReadOnlyDictionary<string, int> Failed, IReadOnlyList<DryRunTenantTotal> Tenants)
{
    /// <summary>The comparison per unit over every tenant (what the API's dry run answers).</summary>
    public IReadOnlyList<DryRunTenantTotal> Totals =>
        [.. Tenants.GroupBy(t => t.Unit, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new DryRunTenantTotal(string.Empty, g.Key, g.Sum(t => t.Events), g.Sum(t => t.Changed), g.Sum(t => t.Current), g.Sum(t => t.Candidate)))];
}
