using System.Text.Json;
using NodaTime;
using Tollgate.Client.Contracts;
using Tollgate.Server.Api;
using Tollgate.Server.Auth;
using Tollgate.Server.Hosting;
using Tollgate.Storage.Ledger;
using HoldResult = Tollgate.Storage.Ledger.HoldResult;
using RecordResult = Tollgate.Storage.Ledger.RecordResult;

namespace Tollgate.Server.Endpoints;

/// <summary>Reservations: credit held for a call in flight, then settled with the real usage or released.</summary>
public static class ReservationEndpoints
{
    public const int MaxTimeoutSeconds = 7 * 24 * 3600;

    /// <summary>The request as the server reads it: the estimate stays JSON for the event parser.</summary>
    private sealed record ReservationBody(
        string? Id, decimal? Amount, string? Unit, JsonElement? Estimate, int? TimeoutSeconds, string? Owner, string? Type, string? Model, string? Channel);

    private sealed record SettleBody(JsonElement? Event);

    public static void Map(RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/tenants/{tenant}/reservations").WithTags("Reservations");
        group.MapPost("/", CreateAsync).WithSummary("Hold credit for a call in flight: an amount, or what an estimated event would cost")
            .Accepts<ReservationRequest>("application/json").Produces<Reservation>(201).Produces<Reservation>().ProducesProblem(400).ProducesProblem(402).ProducesProblem(404)
            .RequireAuthorization(Policies.CanRecord);
        group.MapGet("/{id}", GetAsync).WithSummary("Read a reservation").Produces<Reservation>().ProducesProblem(404);
        group.MapPost("/{id}/settle", SettleAsync).WithSummary("Settle with the real usage: capture, charge any excess, release the rest")
            .Accepts<SettleRequest>("application/json").Produces<EventResult>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409)
            .RequireAuthorization(Policies.CanRecord);
        group.MapPost("/{id}/release", ReleaseAsync).WithSummary("Release everything held").Produces<Reservation>().ProducesProblem(404).ProducesProblem(409)
            .RequireAuthorization(Policies.CanRecord);
    }

    private static async Task<IResult> CreateAsync(string tenant, HttpContext context, LedgerStore store, TollgateMetrics metrics, CancellationToken cancel)
    {
        if (Caller.Of(context).CanRecord(tenant) is { } denied)
        {
            return denied;
        }

        var body = await BodyReader.ReadAsync<ReservationBody>(context.Request, cancel);
        if (!body.Ok)
        {
            return body.Problem!;
        }

        var r = body.Value!;
        if (Validate.First(
                Validate.Id(r.Id, "id"),
                Validate.Text(r.Owner, "owner", required: false),
                Validate.Text(r.Type, "type", required: false),
                Validate.Text(r.Model, "model", required: false),
                Validate.Text(r.Channel, "channel", required: false)) is { } badId)
        {
            return badId;
        }

        var timeout = r.TimeoutSeconds ?? 300;
        if (timeout is < 1 or > MaxTimeoutSeconds)
        {
            return Problems.Invalid("timeout_seconds", $"must be 1 to {MaxTimeoutSeconds} seconds");
        }

        Core.Events.UsageEvent? estimate = null;
        if (r.Estimate is { } element)
        {
            var parsed = EventEndpoints.Parse(element, "estimate.");
            if (!parsed.Ok)
            {
                return parsed.Problem!;
            }

            estimate = parsed.Value!;
            if (estimate.Tenant != tenant)
            {
                return Problems.Invalid("estimate.tenant", $"the estimated event is for tenant '{estimate.Tenant}', not '{tenant}'");
            }
        }
        else if (Validate.First(Validate.Amount(r.Amount, "amount"), Validate.Name(r.Unit, "unit")) is { } bad)
        {
            return bad;
        }

        var request = new HoldRequest(
            tenant, r.Id!, Duration.FromSeconds(timeout), estimate, r.Amount, r.Unit, r.Owner ?? string.Empty,
            r.Type ?? Core.Events.BillingTypes.LlmText, r.Model ?? string.Empty, r.Channel ?? Core.Events.Channels.Api);
        var hold = await store.HoldAsync(request, cancel);
        metrics.BalanceOperation("reserve");
        return hold.Status switch
        {
            _ when hold.Error is not null => Refused(hold),
            _ => Results.Json(hold.ToContract(), Client.TollgateJson.Options, statusCode: StatusCodes.Status201Created),
        };
    }

    private static async Task<IResult> GetAsync(string tenant, string id, HttpContext context, LedgerStore store, CancellationToken cancel)
    {
        if (Caller.Of(context).CanRead(tenant) is { } denied)
        {
            return denied;
        }

        var hold = await store.GetHoldAsync(tenant, id, cancel);
        return hold.Error is not null ? Refused(hold) : Results.Json(hold.ToContract(), Client.TollgateJson.Options);
    }

    private static async Task<IResult> SettleAsync(string tenant, string id, HttpContext context, LedgerStore store, TollgateMetrics metrics, CancellationToken cancel)
    {
        if (Caller.Of(context).CanRecord(tenant) is { } denied)
        {
            return denied;
        }

        var body = await BodyReader.ReadAsync<SettleBody>(context.Request, cancel);
        if (!body.Ok)
        {
            return body.Problem!;
        }

        if (body.Value!.Event is not { } element)
        {
            return Problems.BadRequest(Problems.MissingField, "settle with the call's real usage: {\"event\": {...}}", "event");
        }

        var parsed = EventEndpoints.Parse(element, "event.");
        if (!parsed.Ok)
        {
            return parsed.Problem!;
        }

        var usage = parsed.Value!;
        if (usage.Tenant != tenant)
        {
            return Problems.Invalid("event.tenant", $"the event is for tenant '{usage.Tenant}', not '{tenant}'");
        }

        RecordResult result;
        using (metrics.TimeSettle())
        {
            result = await store.SettleAsync(tenant, id, usage, cancel);
        }

        metrics.BalanceOperation("settle");
        metrics.Recorded(usage, result);
        if (result.Status != RecordResult.Charged)
        {
            return EventEndpoints.Rejected(result);
        }

        return Results.Json(result.ToContract(EventEndpoints.PayerBalances(await store.PayerBalancesAsync(tenant, result, cancel), result)), Client.TollgateJson.Options);
    }

    private static async Task<IResult> ReleaseAsync(string tenant, string id, HttpContext context, LedgerStore store, TollgateMetrics metrics, CancellationToken cancel)
    {
        if (Caller.Of(context).CanRecord(tenant) is { } denied)
        {
            return denied;
        }

        var hold = await store.ReleaseAsync(tenant, id, cancel);
        metrics.BalanceOperation("release");
        return hold.Error is not null ? Refused(hold) : Results.Json(hold.ToContract(), Client.TollgateJson.Options);
    }

    private static IResult Refused(HoldResult hold) => Problems.Refused(hold.Error!, hold.ToContract());
}
