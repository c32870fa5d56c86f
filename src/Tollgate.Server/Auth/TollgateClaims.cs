namespace Tollgate.Server.Auth;

/// <summary>
/// The claims every authentication scheme of Tollgate gives its callers (API keys today; a console sign-in or a
/// gateway's keys later): the policies and <see cref="Caller"/> read these, never a scheme's own objects.
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
