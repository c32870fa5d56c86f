using Tollgate.Server.Api;
using Tollgate.Storage.Keys;
using Tollgate.Storage.Ledger;

namespace Tollgate.Server.Auth;

/// <summary>
/// Who is calling, read from the <see cref="TollgateClaims"/> of the authenticated user (whatever the scheme), in
/// the shape of an API key. Operators reach every tenant; a tenant caller reaches only its own tenant, and another
/// tenant's data is answered with 404, exactly as if it did not exist.
/// </summary>
public sealed record Caller(ApiKey Key)
{
    public bool IsOperator => Key.IsOperator;

    public string Name => $"key:{Key.Id} ({Key.Name})";

    public string? Tenant => Key.Tenant;

    /// <summary>The caller of a request that passed its endpoint's policy (every /v1 endpoint has one).</summary>
    public static Caller Of(HttpContext context) =>
        From(context.User) ?? throw new InvalidOperationException("no caller: this endpoint has no authorization policy");

    /// <summary>The caller of an authenticated principal, or null when it carries no Tollgate identity.</summary>
    public static Caller? From(System.Security.Claims.ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true || user.FindFirst(TollgateClaims.Id)?.Value is not { } id)
        {
            return null;
        }

        var tenant = user.FindFirst(TollgateClaims.Tenant)?.Value;
        if (tenant is null && user.FindFirst(TollgateClaims.Operator)?.Value != "true")
        {
            return null;
        }

        var name = user.FindFirst(TollgateClaims.Name)?.Value ?? id;
        var keyId = id.StartsWith("key:", StringComparison.Ordinal) ? id[4..] : id;
        return new Caller(new ApiKey(keyId, tenant, name, user.FindFirst(TollgateClaims.CanRecord)?.Value == "true", 0, null));
    }

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
