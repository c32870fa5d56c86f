namespace Tollgate.Core.Events;

/// <summary>Whose model key served the call: the platform's own, or the customer's ("own key").</summary>
public static class KeyModes
{
    public const string Platform = "platform";
    public const string Own = "own";

    public static bool IsKnown(string mode) => mode is Platform or Own;
}
