using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Tollgate.Server.Api;

namespace Tollgate.Server.Auth;

/// <summary>
/// A caller refused by one of <see cref="Policies"/> reads why, as a 403 problem naming what it lacks. Every other
/// outcome (no caller: the scheme's challenge, a 401) is the framework's.
/// </summary>
public sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler fallback = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<CallerRequirement>().FirstOrDefault() is { } failed)
        {
            await Problems.Of(StatusCodes.Status403Forbidden, Problems.Forbidden, failed.Denial).ExecuteAsync(context);
            return;
        }

        await fallback.HandleAsync(next, context, policy, authorizeResult);
    }
}
