using Tollgate.Server.Api;
using Tollgate.Storage.Keys;
using Tollgate.Storage.Ledger;

namespace Tollgate.Server.Auth;

/// <summary>
/// Who is calling: the verified API key of the request. Operators reach every tenant; a tenant key reaches only its
/// own tenant, and another tenant's data is answered with 404, exactly as if it did not exist.
/// </summary>
public sealed record Caller(ApiKey Key)
{
    public bool IsOperator => Key.IsOperator;

    public string Name => $"key:{Key.Id} ({Key.Name})";

    public static Caller Of(HttpContext context) =>
        context.Items[typeof(Caller)] as Caller ?? throw new InvalidOperationException("no caller: the key middleware did not run");

    /// <summary>Null when the caller may read the tenant's data; else the 404 that hides it.</summary>
    public IResult? CanRead(string tenant) =>
        IsOperator || Key.Tenant == tenant ? null : Problems.NotFoundOf("tenant", tenant, "tenant");

    /// <summary>Null when the caller may read the tenant and it exists; else the 404.</summary>
    public async Task<IResult?> CanReadExistingAsync(string tenant, LedgerStore store, CancellationToken cancel) =>
        CanRead(tenant) ?? (await store.GetTenantAsync(tenant, cancel) is null ? Problems.NotFoundOf("tenant", tenant, "tenant") : null);

    /// <summary>Null when the caller may record usage and reserve credit for the tenant.</summary>
    public IResult? CanRecord(string tenant) =>
        CanRead(tenant) ?? (IsOperator || Key.CanRecord ? null
            : Problems.Of(StatusCodes.Status403Forbidden, Problems.Forbidden, "this tenant key may read but not record usage; create a key with can_record"));

    /// <summary>Null for operators.</summary>
    public IResult? MustBeOperator() =>
        IsOperator ? null : Problems.Of(StatusCodes.Status403Forbidden, Problems.Forbidden, "this operation needs an operator key");
}

/// <summary>Checks the bearer key of every /v1 request and remembers the caller for the endpoints.</summary>
public sealed class KeyMiddleware(RequestDelegate next, ApiKeyStore keys)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        var header = context.Request.Headers.Authorization.ToString();
        var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
        var key = presented is null ? null : await keys.VerifyAsync(presented, context.RequestAborted);
        if (key is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            var detail = presented is null ? "send an API key as 'Authorization: Bearer tg_...'" : "the API key is unknown or revoked";
            await Problems.Of(StatusCodes.Status401Unauthorized, Problems.Unauthorized, detail, "authorization").ExecuteAsync(context);
            return;
        }

        context.Items[typeof(Caller)] = new Caller(key);
        await next(context);
    }
}
