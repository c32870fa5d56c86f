namespace Tollgate.WebConsole.Components.Shared;

/// <summary>The console's addresses of a tenant's pages, escaped once here.</summary>
public static class TenantLinks
{
    public static string Overview(string tenant) => $"/tenants/{Uri.EscapeDataString(tenant)}";

    public static string Of(string tenant, string page) => $"/tenants/{Uri.EscapeDataString(tenant)}/{page}";
}
