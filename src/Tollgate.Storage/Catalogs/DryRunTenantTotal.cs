namespace Tollgate.Storage.Catalogs;

/// <summary>
/// One tenant's events in one unit under a dry run: how many were rated and would change, what they were charged
/// (<see cref="Current"/>) and what the candidate version would charge. An event whose candidate charge is in another
/// unit counts under its recorded unit and adds its candidate amount under the new one.
/// </summary>
public sealed record DryRunTenantTotal(string Tenant, string Unit, int Events, int Changed, decimal Current, decimal Candidate)
{
    public decimal Difference => Candidate - Current;
}
