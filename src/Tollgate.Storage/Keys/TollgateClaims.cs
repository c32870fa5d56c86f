namespace Tollgate.Storage.Keys;

/// <summary>
/// The claims every authentication scheme of Tollgate gives its callers: the server's policies and its Caller, and
/// the gateway's key API, read these, never a scheme's own objects. Here, beside the keys, so every layer above
/// Storage can read who is calling without checking the key again.
/// </summary>
public static class TollgateClaims
{
    /// <summary>The caller's id, such as <c>key:k_abc</c>.</summary>
    public const string Id = "tollgate:id";

    /// <summary>The caller's display name, for audit fields.</summary>
    public const string Name = "tollgate:name";

    /// <summary>The one tenant a tenant caller reaches; absent for operators.</summary>
    public const string Tenant = "tollgate:tenant";

    /// <summary>"true" for an operator: every tenant, every operation.</summary>
    public const string Operator = "tollgate:operator";

    /// <summary>"true" when the caller may record usage and hold credit (the key's can_record).</summary>
    public const string CanRecord = "tollgate:can_record";
}
