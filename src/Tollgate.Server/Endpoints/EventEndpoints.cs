using System.Text.Json;
using Tollgate.Client.Contracts;
using Tollgate.Core.Events;
using Tollgate.Server.Api;
using Tollgate.Server.Auth;
using Tollgate.Server.Hosting;
using Tollgate.Storage.Ledger;
using RecordResult = Tollgate.Storage.Ledger.RecordResult;
using StoredEvent = Tollgate.Client.Contracts.StoredEvent;

namespace Tollgate.Server.Endpoints;

/// <summary>Usage: record one event or a batch, quote an event, read a recorded event.</summary>
public static class EventEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapPost("/events", RecordOneAsync).WithTags("Usage").WithSummary("Record one usage event")
            .Accepts<Client.Contracts.UsageEvent>("application/json").Produces<EventResult>().ProducesProblem(400).ProducesProblem(402).ProducesProblem(404).ProducesProblem(409).ProducesProblem(422)
            .RequireAuthorization(Policies.CanRecord);
        v1.MapPost("/events/batch", RecordBatchAsync).WithTags("Usage").WithSummary("Record a batch of usage events, one result per item, in one transaction")
            .Accepts<EventBatch>("application/json").Produces<BatchResult>().ProducesProblem(400).ProducesProblem(413)
            .RequireAuthorization(Policies.CanRecord);
        v1.MapPost("/events/quote", QuoteAsync).WithTags("Usage").WithSummary("Price an event without charging it")
            .Accepts<Client.Contracts.UsageEvent>("application/json").Produces<Quote>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(422);
        v1.MapGet("/tenants/{tenant}/events/{id}", GetAsync).WithTags("Usage").WithSummary("Read a recorded event and its charge")
            .Produces<StoredEvent>().ProducesProblem(404);
    }

    private static async Task<IResult> RecordOneAsync(HttpContext context, LedgerStore store, RecordQueue queue, TollgateMetrics metrics, CancellationToken cancel)
    {
        var parsed = await ParseOneAsync(context, cancel);
        if (parsed.Problem is not null)
        {
            return parsed.Problem;
        }

        var e = parsed.Value!;
        if (Caller.Of(context).CanRecord(e.Tenant) is { } denied)
        {
            return denied;
        }

        RecordResult result;
        using (metrics.TimeRecord("single"))
        {
            result = await queue.RecordAsync(e, cancel);
        }

        metrics.Recorded(e, result);
        if (result.Status == RecordResult.Charged)
        {
            return Results.Json(result.ToContract(PayerBalances(await store.PayerBalancesAsync(e.Tenant, result, cancel), result)), Client.TollgateJson.Options);
        }

        return Rejected(result);
    }

    private static async Task<IResult> RecordBatchAsync(HttpContext context, LedgerStore store, RecordQueue queue, TollgateMetrics metrics, ServerOptions options, CancellationToken cancel)
    {
        var body = await BodyReader.ReadDocumentAsync(context.Request, cancel);
        if (!body.Ok)
        {
            return body.Problem!;
        }

        using var document = body.Value!;
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("events", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return Problems.BadRequest(Problems.MissingField, "a batch is {\"events\": [ ... ]}", "events");
        }

        foreach (var property in root.EnumerateObject().Where(p => p.Name != "events"))
        {
            return Problems.Invalid(property.Name, $"'{property.Name}' is not a field of a batch");
        }

        var count = list.GetArrayLength();
        if (count > options.MaxBatch)
        {
            return Problems.Of(StatusCodes.Status413PayloadTooLarge, Problems.BatchTooLarge, $"a batch carries at most {options.MaxBatch} events; this one has {count}", "events");
        }

        var caller = Caller.Of(context);
        var results = new EventResult?[count];
        var valid = new List<(int Index, Core.Events.UsageEvent Event)>(count);
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var parse = UsageEventParser.Parse(item);
            if (!parse.IsSuccess)
            {
                var error = parse.Errors[0];
                results[index] = new EventResult(parse.Id ?? string.Empty, RecordResult.Rejected, Error: new ItemError(error.Code, string.Join("; ", parse.Errors), $"events[{index}].{error.Field}"));
            }
            else if (caller.CanRecord(parse.Event!.Tenant) is not null)
            {
                var readable = caller.CanRead(parse.Event.Tenant) is null;
                results[index] = RecordResult.Reject(
                    parse.Event.Id,
                    readable ? Problems.Forbidden : LedgerErrors.UnknownTenant,
                    readable ? "this key may not record usage" : $"no tenant '{parse.Event.Tenant}'",
                    $"events[{index}].tenant").ToContract();
            }
            else
            {
                valid.Add((index, parse.Event));
            }

            index++;
        }

        if (valid.Count > 0)
        {
            IReadOnlyList<RecordResult> recorded;
            using (metrics.TimeRecord("batch"))
            {
                // A small batch shares its commit with other requests of the moment; a large one fills its own.
                Core.Events.UsageEvent[] events = [.. valid.Select(v => v.Event)];
                recorded = RecordQueue.Shares(events.Length) ? await queue.RecordAsync(events, cancel) : await store.RecordAsync(events, cancel);
            }

            // The balances the batch's transaction left; read once per tenant only for repeats answered from before.
            var balances = new Dictionary<string, IReadOnlyList<AccountBalance>>(StringComparer.Ordinal);
            foreach (var payers in Enumerable.Range(0, valid.Count).Where(i => recorded[i] is { Status: RecordResult.Charged, PayerBalances: null }).GroupBy(i => valid[i].Event.Tenant, StringComparer.Ordinal))
            {
                balances[payers.Key] = await store.GetOwnerBalancesAsync(payers.Key, [.. payers.Select(i => recorded[i].PayerOwner).Distinct(StringComparer.Ordinal)], cancel);
            }

            for (var i = 0; i < valid.Count; i++)
            {
                var r = recorded[i];
                metrics.Recorded(valid[i].Event, r);
                var payerBalances = r.Status != RecordResult.Charged ? null : r.PayerBalances ?? balances[valid[i].Event.Tenant];
                results[valid[i].Index] = r.ToContract(payerBalances is null ? null : PayerBalances(payerBalances, r));
            }
        }

        var all = results.Select(r => r!).ToList();
        return Results.Json(
            new BatchResult(
                all.Count(r => r.Status == RecordResult.Charged && !r.Duplicate),
                all.Count(r => r.Duplicate),
                all.Count(r => r.Status == RecordResult.Rejected && !r.Duplicate),
                all),
            Client.TollgateJson.Options);
    }

    private static async Task<IResult> QuoteAsync(HttpContext context, LedgerStore store, CancellationToken cancel)
    {
        var parsed = await ParseOneAsync(context, cancel);
        if (parsed.Problem is not null)
        {
            return parsed.Problem;
        }

        var e = parsed.Value!;
        if (Caller.Of(context).CanRead(e.Tenant) is { } denied)
        {
            return denied;
        }

        var quote = await store.QuoteAsync(e, cancel);
        return quote.Status == RecordResult.Quoted
            ? Results.Json(new Quote(quote.EventId, quote.Charge!.ToContract(), quote.Payer!, quote.Unit!, quote.Amount), Client.TollgateJson.Options)
            : Rejected(quote);
    }

    private static async Task<IResult> GetAsync(string tenant, string id, HttpContext context, LedgerStore store, CancellationToken cancel)
    {
        if (Caller.Of(context).CanRead(tenant) is { } denied)
        {
            return denied;
        }

        var stored = await store.GetEventAsync(tenant, id, cancel);
        if (stored is null)
        {
            return Problems.NotFoundOf("event", id, "id");
        }

        JsonElement? body = stored.Body is null ? null : JsonDocument.Parse(stored.Body).RootElement.Clone();
        return Results.Json(
            new StoredEvent(stored.EventId, stored.Status, Mapping.Time(stored.EventTime), Mapping.Time(stored.RecordedAt), body, stored.Result.ToContract()),
            Client.TollgateJson.Options);
    }

    /// <summary>Reads and checks one usage event from the body; every bad field is listed.</summary>
    internal static async Task<Body<Core.Events.UsageEvent>> ParseOneAsync(HttpContext context, CancellationToken cancel)
    {
        var body = await BodyReader.ReadDocumentAsync(context.Request, cancel);
        if (!body.Ok)
        {
            return new(null, body.Problem);
        }

        using var document = body.Value!;
        return Parse(document.RootElement, "");
    }

    internal static Body<Core.Events.UsageEvent> Parse(JsonElement element, string prefix)
    {
        var parse = UsageEventParser.Parse(element);
        if (parse.IsSuccess)
        {
            return new(parse.Event, null);
        }

        var first = parse.Errors[0];
        return new(null, Problems.Of(
            StatusCodes.Status400BadRequest, first.Code, first.Message, prefix + first.Field, [.. parse.Errors.Select(e => $"{prefix}{e.Field}: {e.Message}")]));
    }

    /// <summary>The HTTP answer for an event that was not charged: the status says why, the body carries the result.</summary>
    internal static IResult Rejected(RecordResult result) => Problems.Refused(result.Error!, result.ToContract());

    /// <summary>The balances of whoever paid (the tenant, or the end user under message billing), without arrears.</summary>
    internal static List<Balance> PayerBalances(IReadOnlyList<AccountBalance> balances, RecordResult result) =>
        [.. balances.Where(b => b.Owner == result.PayerOwner && b.Kind != AccountKinds.Arrears).Select(Mapping.ToContract)];
}
