using Microsoft.AspNetCore.Authorization;

namespace Tollgate.Server.Auth;

/// <summary>
/// The authorization policies, attached to endpoints as metadata (<c>RequireAuthorization</c>). The fallback
/// policy asks for an authenticated caller, so an endpoint mapped without any policy is still closed; an endpoint
/// open to anyone says so with <c>AllowAnonymous</c>. Policies name no scheme: the default scheme is the API key,
/// and a later scheme (a console cookie, a gateway's keys) is added next to it, giving the same claims.
/// </summary>
public static class Policies
{
    /// <summary>Any authenticated caller; what it reaches is limited to its tenant by the handler.</summary>
    public const string Caller = "caller";

    /// <summary>Operator keys only: tenants, keys, price books, funding, bills.</summary>
    public const string Operator = "operator";

    /// <summary>Callers that may record usage and hold credit: operators and tenant keys with can_record.</summary>
    public const string CanRecord = "can_record";

    public static IServiceCollection AddTollgateAuth(this IServiceCollection services)
    {
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        var authenticated = new AuthorizationPolicyBuilder().RequireAuthenticatedUser()
            .AddRequirements(new CallerRequirement(Caller, _ => true, "this caller has no Tollgate identity")).Build();
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(authenticated)
            .SetDefaultPolicy(authenticated)
            .AddPolicy(Caller, authenticated)
            .AddPolicy(Operator, p => p.RequireAuthenticatedUser()
                .AddRequirements(new CallerRequirement(Operator, c => c.IsOperator, "this operation needs an operator key")))
            .AddPolicy(CanRecord, p => p.RequireAuthenticatedUser()
                .AddRequirements(new CallerRequirement(CanRecord, c => c.IsOperator || c.Key.CanRecord, "this tenant key may read but not record usage; create a key with can_record")));
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        return services;
    }
}
