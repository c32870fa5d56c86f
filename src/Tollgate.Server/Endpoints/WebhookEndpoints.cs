using Tollgate.Client.Contracts;
using Tollgate.Server.Api;
using Tollgate.Server.Auth;
using Tollgate.Storage.Alerts;
using Tollgate.Storage.Ledger;
using Delivery = Tollgate.Client.Contracts.Delivery;
using Webhook = Tollgate.Client.Contracts.Webhook;

namespace Tollgate.Server.Endpoints;

/// <summary>
/// Webhooks that receive alerts (low_balance, bill_issued, quota_exhausted), signed with HMAC-SHA256; their
/// deliveries, and replaying one. A tenant key manages its tenant's webhooks; an operator, all (and all-tenant ones).
/// A read-only tenant key (without can_record) may list webhooks and deliveries but not create, delete or replay:
/// each makes the server send requests where a tenant chooses (docs/security.md, "Webhook targets").
/// </summary>
public static class WebhookEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        var hooks = v1.MapGroup("/webhooks").WithTags("Webhooks");
        hooks.MapPost("/", CreateAsync).WithSummary("Create a webhook; the signing secret is in this answer only")
            .Accepts<WebhookRequest>("application/json").Produces<Webhook>(201).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);
        hooks.MapGet("/", ListAsync).WithSummary("List webhooks").Produces<WebhookList>();
        hooks.MapDelete("/{id}", DeleteAsync).WithSummary("Delete a webhook; its pending deliveries fail").Produces<Webhook>().ProducesProblem(403).ProducesProblem(404);
        hooks.MapGet("/{id}/deliveries", DeliveriesAsync).WithSummary("A webhook's deliveries, newest first: attempts, last answer, next attempt")
            .Produces<DeliveryList>().ProducesProblem(404);
        hooks.MapPost("/{id}/deliveries/{deliveryId}/replay", ReplayAsync).WithSummary("Send a delivery again, now")
            .Produces<Delivery>().ProducesProblem(403).ProducesProblem(404);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, AlertStore alerts, LedgerStore store, CancellationToken cancel)
    {
        var caller = Caller.Of(context);
        if (MayManage(caller) is { } forbidden)
        {
            return forbidden;
        }

        var body = await BodyReader.ReadAsync<WebhookRequest>(context.Request, cancel);
        if (!body.Ok)
        {
            return body.Problem!;
        }

        var r = body.Value!;
        if (string.IsNullOrEmpty(r.Url))
        {
            return Problems.BadRequest(Problems.MissingField, "'url' is required: where alerts are POSTed", "url");
        }

        if (!Uri.TryCreate(r.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || r.Url.Length > 2000)
        {
            return Problems.Invalid("url", "must be an absolute http or https URL of at most 2000 characters");
        }

        if (url.UserInfo.Length > 0)
        {
            return Problems.Invalid("url", "must not carry a user name or password; authenticate receivers by the signature header");
        }

        if (r.Kinds?.FirstOrDefault(k => !AlertKinds.All.Contains(k)) is { } badKind)
        {
            return Problems.Invalid("kinds", $"'{badKind}' is not an alert kind: {string.Join(", ", AlertKinds.All)}");
        }

        var tenant = r.Tenant ?? (caller.IsOperator ? null : caller.Key.Tenant);
        if (tenant is not null && await caller.CanReadExistingAsync(tenant, store, cancel) is { } denied)
        {
            return denied;
        }

        var (hook, secret) = await alerts.CreateWebhookAsync(tenant, r.Url, [.. (r.Kinds ?? []).Distinct()], cancel);
        return Results.Json(ToContract(hook) with { Secret = secret }, Client.TollgateJson.Options, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListAsync(HttpContext context, AlertStore alerts, CancellationToken cancel)
    {
        var caller = Caller.Of(context);
        var hooks = await alerts.ListWebhooksAsync(caller.IsOperator ? null : caller.Key.Tenant, cancel);
        return Results.Json(new WebhookList([.. hooks.Select(ToContract)]), Client.TollgateJson.Options);
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext context, AlertStore alerts, CancellationToken cancel)
    {
        if (await VisibleAsync(id, context, alerts, cancel) is not { } hook)
        {
            return Problems.NotFoundOf("webhook", id, "id");
        }

        if (MayManage(Caller.Of(context)) is { } forbidden)
        {
            return forbidden;
        }

        await alerts.DeleteWebhookAsync(id, cancel);
        return Results.Json(ToContract(hook), Client.TollgateJson.Options);
    }

    private static async Task<IResult> DeliveriesAsync(string id, HttpContext context, AlertStore alerts, CancellationToken cancel)
    {
        if (await VisibleAsync(id, context, alerts, cancel) is null)
        {
            return Problems.NotFoundOf("webhook", id, "id");
        }

        var deliveries = await alerts.ListDeliveriesAsync(id, cancel: cancel);
        return Results.Json(new DeliveryList([.. deliveries.Select(ToContract)]), Client.TollgateJson.Options);
    }

    private static async Task<IResult> ReplayAsync(string id, string deliveryId, HttpContext context, AlertStore alerts, CancellationToken cancel)
    {
        if (await VisibleAsync(id, context, alerts, cancel) is null)
        {
            return Problems.NotFoundOf("webhook", id, "id");
        }

        if (MayManage(Caller.Of(context)) is { } forbidden)
        {
            return forbidden;
        }

        if (await alerts.GetDeliveryAsync(deliveryId, cancel) is not { } found || found.WebhookId != id)
        {
            return Problems.NotFoundOf("delivery", deliveryId, "delivery_id");
        }

        return Results.Json(ToContract((await alerts.ReplayAsync(deliveryId, cancel))!), Client.TollgateJson.Options);
    }

    /// <summary>Null when the caller may create, delete and replay webhooks: operators and tenant keys with can_record.</summary>
    private static IResult? MayManage(Caller caller) =>
        caller.IsOperator || caller.Key.CanRecord ? null
            : Problems.Of(StatusCodes.Status403Forbidden, Problems.Forbidden, "this tenant key may read but not manage webhooks; use a key with can_record");

    /// <summary>The webhook, when it exists and the caller may see it (operators: all; a tenant key: its tenant's).</summary>
    private static async Task<Storage.Alerts.Webhook?> VisibleAsync(string id, HttpContext context, AlertStore alerts, CancellationToken cancel)
    {
        var caller = Caller.Of(context);
        var hook = await alerts.GetWebhookAsync(id, cancel);
        return hook is not null && (caller.IsOperator || hook.Tenant == caller.Key.Tenant) ? hook : null;
    }

    private static Webhook ToContract(Storage.Alerts.Webhook w) => new(w.WebhookId, w.Tenant, w.Url, w.Kinds, Mapping.Time(w.CreatedAt));

    private static Delivery ToContract(Storage.Alerts.Delivery d) => new(
        d.DeliveryId, d.WebhookId, d.Tenant, d.AlertId, d.Status, d.Attempts, Mapping.Time(d.NextAttemptAt), d.LastStatus, d.LastError,
        d.DeliveredAt is { } at ? Mapping.Time(at) : null, Mapping.Time(d.CreatedAt));
}
