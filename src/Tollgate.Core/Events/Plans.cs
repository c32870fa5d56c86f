namespace Tollgate.Core.Events;

/// <summary>Tenant plans that a price book may price differently.</summary>
public static class Plans
{
    public const string Free = "free";
    public const string Premium = "premium";

    public static bool IsKnown(string plan) => plan is Free or Premium;
}
