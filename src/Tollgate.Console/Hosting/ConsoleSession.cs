using System.Security.Claims;

namespace Tollgate.WebConsole.Hosting;

/// <summary>Who is signed in to the console: an operator (every tenant) or a tenant key (its own tenant only).</summary>
public sealed record ConsoleSession(string KeyId, string Name, string? Tenant)
{
    public bool IsOperator => Tenant is null;

    public static ConsoleSession? Of(ClaimsPrincipal user) =>
        user.FindFirst(ConsoleAuth.KeyClaim)?.Value is { } id
            ? new ConsoleSession(id, user.FindFirst(ClaimTypes.Name)?.Value ?? id, user.FindFirst(ConsoleAuth.TenantClaim)?.Value)
            : null;

    public bool CanRead(string tenant) => IsOperator || Tenant == tenant;

    /// <summary>Where "/" takes this session: an operator's tenant table, or the tenant's overview.</summary>
    public string Home => IsOperator ? "/admin/tenants" : $"/tenants/{Uri.EscapeDataString(Tenant!)}";
}
