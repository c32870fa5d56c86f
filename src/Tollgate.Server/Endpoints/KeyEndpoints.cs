using Tollgate.Client.Contracts;
using Tollgate.Server.Api;
using Tollgate.Server.Auth;
using Tollgate.Storage.Keys;
using Tollgate.Storage.Ledger;
using CreatedKey = Tollgate.Client.Contracts.CreatedKey;

namespace Tollgate.Server.Endpoints;

/// <summary>API keys (operator only): create (the secret is shown once), list, revoke.</summary>
public static class KeyEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        var keys = v1.MapGroup("/keys").WithTags("Keys")
            .RequireAuthorization(Policies.Operator);
        keys.MapPost("/", CreateAsync).WithSummary("Create an operator key (no tenant) or a tenant key; the secret is in this answer only")
            .Accepts<KeyRequest>("application/json").Produces<CreatedKey>(201).ProducesProblem(400).ProducesProblem(403);
        keys.MapGet("/", ListAsync).WithSummary("List keys, optionally of one tenant").Produces<KeyList>().ProducesProblem(403);
        keys.MapDelete("/{id}", RevokeAsync).WithSummary("Revoke a key for good").Produces<ApiKeyInfo>().ProducesProblem(403).ProducesProblem(404);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, ApiKeyStore keys, LedgerStore store, CancellationToken cancel)
    {
        if (Caller.Of(context).MustBeOperator() is { } denied)
        {
            return denied;
        }

        var body = await BodyReader.ReadAsync<KeyRequest>(context.Request, cancel);
        if (!body.Ok)
        {
            return body.Problem!;
        }

        var r = body.Value!;
        if (string.IsNullOrWhiteSpace(r.Name))
        {
            return Problems.BadRequest(Problems.MissingField, "a key needs a name of 1 to 200 characters, to tell keys apart", "name");
        }

        if (Validate.First(Validate.Text(r.Name, "name"), r.Tenant is null ? null : Validate.Id(r.Tenant, "tenant")) is { } bad)
        {
            return bad;
        }

        if (r.Tenant is { } tenant && await store.GetTenantAsync(tenant, cancel) is null)
        {
            return Problems.Of(StatusCodes.Status400BadRequest, LedgerErrors.UnknownTenant, $"no tenant '{tenant}'", "tenant");
        }

        var created = await keys.CreateAsync(r.Tenant, r.Name, r.CanRecord || r.Tenant is null, cancel);
        return Results.Json(new CreatedKey(created.Key.ToContract(), created.Secret), Client.TollgateJson.Options, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListAsync(string? tenant, HttpContext context, ApiKeyStore keys, CancellationToken cancel)
    {
        if (Caller.Of(context).MustBeOperator() is { } denied)
        {
            return denied;
        }

        var list = await keys.ListAsync(tenant, cancel);
        return Results.Json(new KeyList([.. list.Select(k => k.ToContract())]), Client.TollgateJson.Options);
    }

    private static async Task<IResult> RevokeAsync(string id, HttpContext context, ApiKeyStore keys, CancellationToken cancel)
    {
        if (Caller.Of(context).MustBeOperator() is { } denied)
        {
            return denied;
        }

        var key = await keys.RevokeAsync(id, cancel);
        return key is null ? Problems.NotFoundOf("key", id, "id") : Results.Json(key.ToContract(), Client.TollgateJson.Options);
    }
}
