using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Tollgate.Server.Api;
using Tollgate.Storage.Keys;

namespace Tollgate.Server.Auth;

/// <summary>
/// The <c>Authorization: Bearer tg_...</c> scheme: verifies the key with <see cref="ApiKeyStore"/> and turns it into
/// <see cref="TollgateClaims"/>. It only says who is calling; what a caller may do is the endpoints' policies.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    private const string UnknownKey = "unknown_key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var key = await keys.VerifyAsync(header[7..].Trim(), Context.RequestAborted);
        if (key is null)
        {
            Context.Items[UnknownKey] = true;
            return AuthenticateResult.Fail("the API key is unknown or revoked");
        }

        var claims = new List<Claim> { new(TollgateClaims.Id, $"key:{key.Id}"), new(TollgateClaims.Name, key.Name) };
        claims.Add(key.Tenant is { } tenant ? new Claim(TollgateClaims.Tenant, tenant) : new Claim(TollgateClaims.Operator, "true"));
        if (key.CanRecord)
        {
            claims.Add(new Claim(TollgateClaims.CanRecord, "true"));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, TollgateClaims.Name, null));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <summary>401 as a problem: a missing key and a wrong one are told apart, nothing else is revealed.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        var detail = Context.Items.ContainsKey(UnknownKey) ? "the API key is unknown or revoked" : "send an API key as 'Authorization: Bearer tg_...'";
        await Problems.Of(StatusCodes.Status401Unauthorized, Problems.Unauthorized, detail, "authorization").ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        await Problems.Of(StatusCodes.Status403Forbidden, Problems.Forbidden, "this key may not call this endpoint").ExecuteAsync(Context);
}
