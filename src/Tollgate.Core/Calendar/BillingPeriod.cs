namespace Tollgate.Core.Calendar;

/// <summary>How long a tenant's billing cycle is: a local day (the default) or a local calendar month.</summary>
public enum BillingPeriod
{
    Daily,
    Monthly,
}
