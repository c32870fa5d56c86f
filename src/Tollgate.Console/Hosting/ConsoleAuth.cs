using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Storage.Keys;

namespace Tollgate.WebConsole.Hosting;

/// <summary>
/// The console's session: a cookie naming the API key that signed in. The key is checked again on every request, so
/// revoking it ends its console sessions too.
/// </summary>
public static class ConsoleAuth
{
    public const string Scheme = "tollgate-console";
    public const string Policy = "tollgate-console";
    public const string KeyClaim = "tollgate_key";
    public const string TenantClaim = "tollgate_tenant";

    public static ClaimsPrincipal Principal(ApiKey key)
    {
        var claims = new List<Claim> { new(KeyClaim, key.Id), new(ClaimTypes.Name, key.Name) };
        if (key.Tenant is not null)
        {
            claims.Add(new Claim(TenantClaim, key.Tenant));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme));
    }

    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var id = context.Principal?.FindFirst(KeyClaim)?.Value;
        var keys = context.HttpContext.RequestServices.GetRequiredService<ApiKeyStore>();
        if (id is null || await keys.GetAsync(id, context.HttpContext.RequestAborted) is not { RevokedAt: null })
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
        }
    }
}
