namespace Tollgate.Storage.Billing;

/// <summary>Error codes of billing.</summary>
public static class BillingErrors
{
    public const string CycleOpen = "cycle_open";
    public const string NotACycle = "not_a_cycle";

    /// <summary>A closed cycle without charges: it has no bill.</summary>
    public const string CycleEmpty = "cycle_empty";
}
