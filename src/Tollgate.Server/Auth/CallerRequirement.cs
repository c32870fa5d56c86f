using Microsoft.AspNetCore.Authorization;

namespace Tollgate.Server.Auth;

/// <summary>
/// What a policy asks of an authenticated caller, with the sentence a refused caller reads (the 403's detail).
/// Tenant scope is not here: a handler compares the tenant of the path or body with the caller's, answering 404
/// for another tenant's data as if it did not exist.
/// </summary>
public sealed class CallerRequirement(string name, Func<Caller, bool> allows, string denial) : AuthorizationHandler<CallerRequirement>, IAuthorizationRequirement
{
    public string Name { get; } = name;

    public string Denial { get; } = denial;

    public bool Allows(Caller caller) => allows(caller);

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, CallerRequirement requirement)
    {
        if (Caller.From(context.User) is { } caller && requirement.Allows(caller))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
