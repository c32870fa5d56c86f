using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Tollgate.Gateway.Keys;

/// <summary>
/// <c>/v1/tenants/{tenant}/gateway-user-budgets</c>: a hard spend limit per end user (the subject of the tenant's
/// gateway keys), across all that user's keys. The same callers as gateway keys.
/// </summary>
internal static class UserBudgetApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static void Map(IEndpointRouteBuilder endpoints, GatewayServices services)
    {
        var group = endpoints.MapGroup("/v1/tenants/{tenant}/gateway-user-budgets").WithTags("Gateway keys").RequireAuthorization().ProducesProblem(403);
        group.MapPut("/{subject}", (HttpContext c, string tenant, string subject) => SetAsync(c, tenant, subject, services))
            .Accepts<GatewayKeyBudgetWire>("application/json").Produces<GatewayUserBudgetWire>().ProducesProblem(400).ProducesProblem(404)
            .WithSummary("Set an end user's hard spend limit across their gateway keys: {limit, period}");
        group.MapGet(string.Empty, (HttpContext c, string tenant) => ListAsync(c, tenant, services)).Produces<GatewayUserBudgetListWire>().ProducesProblem(404)
            .WithSummary("List the end users' gateway budgets");
        group.MapDelete("/{subject}", (HttpContext c, string tenant, string subject) => DeleteAsync(c, tenant, subject, services)).Produces(204).ProducesProblem(404)
            .WithSummary("Remove an end user's gateway budget");
    }

    private static async Task<IResult> SetAsync(HttpContext context, string tenant, string subject, GatewayServices services)
    {
        if (await GatewayKeyApi.AuthorizeAsync(context, tenant, services) is { } refused)
        {
            return refused;
        }

        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException ex)
        {
            return GatewayKeyApi.Problem(400, "malformed_json", $"the body is not valid JSON: {ex.Message}");
        }

        if (body?["period"] is null)
        {
            return GatewayKeyApi.Problem(400, "missing_field", "send {limit, period}: period is day, month or lifetime", "period");
        }

        if (GatewayKeyApi.ReadBudget(body, string.Empty, out var budget) is { } bad)
        {
            return bad;
        }

        if (budget is null || subject.Length > 200)
        {
            return GatewayKeyApi.Problem(400, "invalid_field", "send {limit, period} for a subject of at most 200 characters", "subject");
        }

        await services.UserBudgets.SetAsync(tenant, subject, budget, context.RequestAborted);
        return Results.Json(View(subject, budget), Json);
    }

    private static async Task<IResult> ListAsync(HttpContext context, string tenant, GatewayServices services)
    {
        if (await GatewayKeyApi.AuthorizeAsync(context, tenant, services) is { } refused)
        {
            return refused;
        }

        var budgets = await services.UserBudgets.ListAsync(tenant, context.RequestAborted);
        return Results.Json(new GatewayUserBudgetListWire([.. budgets.Select(b => View(b.Subject, b.Budget))]), Json);
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, string tenant, string subject, GatewayServices services)
    {
        if (await GatewayKeyApi.AuthorizeAsync(context, tenant, services) is { } refused)
        {
            return refused;
        }

        return await services.UserBudgets.DeleteAsync(tenant, subject, context.RequestAborted)
            ? Results.NoContent()
            : GatewayKeyApi.Problem(404, "not_found", $"end user '{subject}' of tenant '{tenant}' has no gateway budget", "subject");
    }

    private static GatewayUserBudgetWire View(string subject, KeyBudget budget) =>
        new(subject, budget.Limit.ToString(CultureInfo.InvariantCulture), budget.Period);
}
