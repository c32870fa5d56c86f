using Tollgate.Core.Events;

namespace Tollgate.Server.Api;

/// <summary>
/// Route and query values checked once for every /v1 endpoint, before the handler runs: text with a NUL or another
/// control character names nothing Tollgate stores, and PostgreSQL cannot even compare it (SQLite can).
/// </summary>
public static class RequestValues
{
    /// <summary>The longest route or query value; ids are at most 128 characters, times and lists fewer.</summary>
    public const int MaxLength = 1000;

    public static async ValueTask<object?> RejectControlCharacters(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        foreach (var (name, value) in request.RouteValues)
        {
            if (value is string text && TextRules.TextError(text, MaxLength) is { } error)
            {
                return Problems.Invalid(name, $"'{name}' {error}");
            }
        }

        foreach (var (name, values) in request.Query)
        {
            foreach (var text in values)
            {
                if (text is not null && (TextRules.TextError(name, MaxLength) ?? TextRules.TextError(text, MaxLength)) is { } error)
                {
                    return Problems.Invalid(name, $"'{TextRules.Shown(name)}' {error}");
                }
            }
        }

        return await next(context);
    }
}
