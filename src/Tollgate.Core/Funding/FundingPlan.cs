namespace Tollgate.Core.Funding;

/// <summary>
/// Which accounts pay a charge and how much, and what no balance could cover (<see cref="Uncovered"/>, in the
/// charge's unit): it goes to the tenant's arrears, or the event is refused in strict mode and for holds.
/// </summary>
public sealed record FundingPlan(decimal Charge, IReadOnlyList<Allocation> Allocations, decimal Uncovered)
{
    public bool FullyCovered => Uncovered == 0m;
}
