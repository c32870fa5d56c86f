using Tollgate.Core.Money;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tollgate.Core.Events;
using Tollgate.Storage.Keys;

namespace Tollgate.Gateway.Keys;

/// <summary>
/// <c>/v1/tenants/{tenant}/gateway-keys</c>: create (the key is shown once), list and revoke a tenant's gateway keys.
/// For an operator key, or the tenant's own API key with <c>can_record</c> (the tenant's admin key). The gateway checks
/// the API key itself, so it does not depend on how the host authenticates the rest of /v1.
/// </summary>
internal static class GatewayKeyApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never,
    };

    public static void Map(IEndpointRouteBuilder endpoints, GatewayServices services)
    {
        // The host's default policy (an authenticated API key) guards the group; the handlers narrow it to the tenant's
        // own keys with can_record, or an operator (403 otherwise).
        var group = endpoints.MapGroup("/v1/tenants/{tenant}/gateway-keys").WithTags("Gateway keys").RequireAuthorization().ProducesProblem(403);
        group.MapPost(string.Empty, (HttpContext c, string tenant) => CreateAsync(c, tenant, services))
            .Accepts<GatewayKeyRequestWire>("application/json").Produces<GatewayKeyWire>(201).ProducesProblem(400).ProducesProblem(404)
            .WithSummary("Create a gateway key (shown once): {name, subject?, channel?, models?, budget?: {limit, period}, soft_limit?: {limit, period}, requests_per_minute?, tokens_per_minute?}");
        group.MapGet(string.Empty, (HttpContext c, string tenant) => ListAsync(c, tenant, services)).Produces<GatewayKeyListWire>().ProducesProblem(404).WithSummary("List a tenant's gateway keys (never their secrets)");
        group.MapDelete("/{id}", (HttpContext c, string tenant, string id) => RevokeAsync(c, tenant, id, services)).Produces<GatewayKeyWire>().ProducesProblem(404).WithSummary("Revoke a gateway key");
    }

    private static async Task<IResult> CreateAsync(HttpContext context, string tenant, GatewayServices services)
    {
        if (await AuthorizeAsync(context, tenant, services) is { } refused)
        {
            return refused;
        }

        JsonObject? body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject;
        }
        catch (JsonException ex)
        {
            return Problem(400, "malformed_json", $"the body is not valid JSON: {ex.Message}");
        }

        var name = JsonNumbers.String(body?["name"]);
        if (string.IsNullOrWhiteSpace(name) || name.Length > 200)
        {
            return Problem(400, "missing_field", "a key needs a name (1 to 200 characters)", "name");
        }

        var subject = JsonNumbers.String(body?["subject"]);
        var channel = JsonNumbers.String(body?["channel"]) ?? Channels.Api;
        List<string>? models = null;
        if (body?["models"] is JsonArray list)
        {
            models = [.. list.Select(JsonNumbers.String).OfType<string>()];
            if (models.Count != list.Count)
            {
                return Problem(400, "invalid_field", "models must be a list of model names", "models");
            }
        }

        if (ReadBudget(body?["budget"], "budget", out var budget) is { } badBudget)
        {
            return badBudget;
        }

        if (ReadBudget(body?["soft_limit"], "soft_limit", out var softLimit) is { } badSoftLimit)
        {
            return badSoftLimit;
        }

        var rpm = JsonNumbers.Count(body?["requests_per_minute"]);
        if (rpm is < 1 or > 1_000_000)
        {
            return Problem(400, "invalid_field", "requests_per_minute must be between 1 and 1000000", "requests_per_minute");
        }

        var tpm = JsonNumbers.Count(body?["tokens_per_minute"]);
        if (tpm is < 1)
        {
            return Problem(400, "invalid_field", "tokens_per_minute must be at least 1", "tokens_per_minute");
        }

        var created = await services.Keys.CreateAsync(tenant, name, subject, channel, models, budget, (int?)rpm, tpm, context.RequestAborted, softLimit);
        return Results.Json(View(created.Key, created.Secret), Json, statusCode: 201);
    }

    /// <summary>Reads a <c>{limit, period}</c> object (absent: null); a problem naming the field when it is not one.</summary>
    internal static IResult? ReadBudget(JsonNode? node, string field, out KeyBudget? budget)
    {
        budget = null;
        var prefix = field.Length == 0 ? string.Empty : field + ".";
        if (node is not JsonObject b)
        {
            return node is null ? null : Problem(400, "invalid_field", $"{(field.Length == 0 ? "the body" : field)} must be an object {{limit, period}}", field.Length == 0 ? "limit" : field);
        }

        var period = JsonNumbers.String(b["period"]) ?? KeyBudget.Lifetime;
        var limitText = JsonNumbers.String(b["limit"]) ?? b["limit"]?.ToJsonString();
        if (!decimal.TryParse(limitText, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var limit) || limit > KeyLimits.MaxBudget || decimal.Round(limit, LedgerAmount.Scale) != limit)
        {
            return Problem(400, "invalid_field", $"{prefix}limit must be a non-negative decimal up to {KeyLimits.MaxBudget} with at most {LedgerAmount.Scale} decimal places (a string such as \"50\")", $"{prefix}limit");
        }

        if (!KeyBudget.IsPeriod(period))
        {
            return Problem(400, "invalid_field", $"{prefix}period must be day, month or lifetime", $"{prefix}period");
        }

        budget = new KeyBudget(limit, period);
        return null;
    }

    private static async Task<IResult> ListAsync(HttpContext context, string tenant, GatewayServices services)
    {
        if (await AuthorizeAsync(context, tenant, services) is { } refused)
        {
            return refused;
        }

        var keys = await services.Keys.ListAsync(tenant, context.RequestAborted);
        return Results.Json(new GatewayKeyListWire([.. keys.Select(k => View(k, null))]), Json);
    }

    private static async Task<IResult> RevokeAsync(HttpContext context, string tenant, string id, GatewayServices services)
    {
        if (await AuthorizeAsync(context, tenant, services) is { } refused)
        {
            return refused;
        }

        var key = await services.Keys.RevokeAsync(tenant, id, context.RequestAborted);
        return key is null ? Problem(404, "not_found", $"tenant '{tenant}' has no gateway key '{id}'", "id") : Results.Json(View(key, null), Json);
    }

    /// <summary>
    /// Who may manage a tenant's gateway keys and budgets: the caller the host's authentication already checked (the
    /// group requires one), read from its <see cref="TollgateClaims"/> rather than by verifying the key again.
    /// </summary>
    internal static async Task<IResult?> AuthorizeAsync(HttpContext context, string tenant, GatewayServices services)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated != true || user.FindFirst(TollgateClaims.Id) is null)
        {
            return Problem(401, "unauthorized", "send an API key as 'Authorization: Bearer tg_...'", "authorization");
        }

        var isOperator = user.FindFirst(TollgateClaims.Operator)?.Value == "true";

        // Another tenant's keys are answered exactly as if the tenant did not exist.
        if ((!isOperator && user.FindFirst(TollgateClaims.Tenant)?.Value != tenant) || await services.Ledger.GetTenantAsync(tenant, context.RequestAborted) is null)
        {
            return Problem(404, "not_found", $"no tenant '{tenant}'", "tenant");
        }

        return isOperator || user.FindFirst(TollgateClaims.CanRecord)?.Value == "true" ? null
            : Problem(403, "forbidden", "managing gateway keys needs an operator key or the tenant's key with can_record");
    }

    private static GatewayKeyWire View(GatewayKey key, string? secret) => new(
        key.Id,
        key.Tenant,
        key.Name,
        key.Subject,
        key.Channel,
        key.Models,
        key.Budget is { } b ? new GatewayKeyBudgetWire(b.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture), b.Period) : null,
        key.RequestsPerMinute,
        key.TokensPerMinute,
        key.SoftLimit is { } s ? new GatewayKeyBudgetWire(s.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture), s.Period) : null,
        DateTimeOffset.FromUnixTimeMilliseconds(key.CreatedAt),
        key.RevokedAt is { } r ? DateTimeOffset.FromUnixTimeMilliseconds(r) : null,
        secret);

    internal static IResult Problem(int status, string code, string detail, string? field = null) =>
        Results.Json(
            // The API's problem shape: no field member when no field is to blame.
            field is null
                ? new { type = $"https://tollgate.dev/problems/{code.Replace('_', '-')}", title = code, status, detail, code }
                : (object)new { type = $"https://tollgate.dev/problems/{code.Replace('_', '-')}", title = code, status, detail, code, field },
            Json,
            "application/problem+json",
            status);
}
