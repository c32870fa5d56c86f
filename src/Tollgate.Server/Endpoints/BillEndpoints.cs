using NodaTime;
using Tollgate.Client.Contracts;
using Tollgate.Server.Api;
using Tollgate.Server.Auth;
using Tollgate.Server.Billing;
using Tollgate.Server.OpenApi;
using Tollgate.Storage.Billing;
using Tollgate.Storage.Ledger;

namespace Tollgate.Server.Endpoints;

/// <summary>A tenant's bills: list, read (JSON, CSV or printable HTML), and issue a closed cycle's bill on demand.</summary>
public static class BillEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        var bills = v1.MapGroup("/tenants/{tenant}/bills").WithTags("Bills");
        bills.MapGet("/", ListAsync)
            .WithSummary($"The tenant's issued bills, newest first: from and to (local dates, yyyy-MM-dd) bound the cycle's first day (from inclusive, to exclusive); " +
                         $"limit (1 to {BillingStore.MaxPageSize}, default {DefaultPageSize}) bills a page; pass a page's next_cursor as cursor for the next page. A cycle without charges has no bill.")
            .Produces<BillList>().ProducesProblem(400).ProducesProblem(404);
        bills.MapGet("/{id}", GetAsync).WithSummary("One bill; format=json (default), csv or html (printable)")
            .Produces<Bill>().ProducesText(200, "text/csv", Examples.BillCsv).ProducesText(200, "text/html", Examples.BillHtml).ProducesProblem(400).ProducesProblem(404);
        bills.MapPost("/", IssueAsync).WithSummary("Issue the bill of a closed cycle now, and any unissued one before it (operator); 409 cycle_open before it ends, 409 cycle_empty when it has no charges (no bill)")
            .Accepts<IssueBillRequest>("application/json").Produces<Bill>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409)
            .RequireAuthorization(Policies.Operator);
    }

    /// <summary>Bills a page holds when the request does not say.</summary>
    public const int DefaultPageSize = 100;

    private static async Task<IResult> ListAsync(
        string tenant, string? from, string? to, string? limit, string? cursor, HttpContext context, LedgerStore store, BillingStore bills, CancellationToken cancel)
    {
        if (await Caller.Of(context).CanReadExistingAsync(tenant, store, cancel) is { } denied)
        {
            return denied;
        }

        var (fromDate, badFrom) = Date(from, "from");
        var (toDate, badTo) = Date(to, "to");
        if ((badFrom ?? badTo) is { } bad)
        {
            return bad;
        }

        if (fromDate is { } f && toDate is { } t && f >= t)
        {
            return Problems.Invalid("to", "must be after from");
        }

        var size = DefaultPageSize;
        if (limit is not null && (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out size) || size is < 1 or > BillingStore.MaxPageSize))
        {
            return Problems.Invalid("limit", $"'{limit}' is not a page size: 1 to {BillingStore.MaxPageSize}");
        }

        var page = await bills.ListAsync(tenant, fromDate, toDate, size, cursor, cancel);
        return Results.Json(new { bills = page.Bills, nextCursor = page.NextCursor }, Client.TollgateJson.Options);
    }

    private static (LocalDate? Date, IResult? Problem) Date(string? text, string field)
    {
        if (text is null)
        {
            return (null, null);
        }

        var parsed = NodaTime.Text.LocalDatePattern.Iso.Parse(text);
        return parsed.Success ? (parsed.Value, null) : (null, Problems.Invalid(field, $"'{text}' is not a date such as 2026-11-20"));
    }

    private static async Task<IResult> GetAsync(string tenant, string id, string? format, HttpContext context, LedgerStore store, BillingStore bills, CancellationToken cancel)
    {
        if (await Caller.Of(context).CanReadExistingAsync(tenant, store, cancel) is { } denied)
        {
            return denied;
        }

        if (format is not (null or "json" or "csv" or "html"))
        {
            return Problems.Invalid("format", $"'{format}' is not a format: json, csv or html");
        }

        if (await bills.GetAsync(tenant, id, cancel) is not { } bill)
        {
            return Problems.NotFoundOf("bill", id, "id");
        }

        return format switch
        {
            "csv" => Results.Text(BillExports.Csv(bill), "text/csv; charset=utf-8"),
            "html" => Results.Text(BillExports.Html(bill), "text/html; charset=utf-8"),
            _ => Results.Json(bill, Client.TollgateJson.Options),
        };
    }

    private static async Task<IResult> IssueAsync(string tenant, HttpContext context, LedgerStore store, BillingStore bills, CancellationToken cancel)
    {
        var caller = Caller.Of(context);
        if ((caller.CanRead(tenant) ?? caller.MustBeOperator()) is { } denied)
        {
            return denied;
        }

        var body = await BodyReader.ReadAsync<IssueBillRequest>(context.Request, cancel);
        if (!body.Ok)
        {
            return body.Problem!;
        }

        if (body.Value!.Cycle is not { } cycle)
        {
            return Problems.BadRequest(Problems.MissingField, "'cycle' is required: the first day of the cycle to bill, such as 2026-11-20", "cycle");
        }

        if (!Core.Calendar.SupportedTimes.Contains(LocalDate.FromDateOnly(cycle)))
        {
            return Problems.BadRequest(Core.Calendar.SupportedTimes.OutOfRange, $"'cycle' is outside the supported times, {Core.Calendar.SupportedTimes.Description}", "cycle");
        }

        try
        {
            var bill = await bills.IssueThroughAsync(tenant, LocalDate.FromDateOnly(cycle), cancel);
            return Results.Json(bill, Client.TollgateJson.Options);
        }
        catch (LedgerException ex) when (ex.Code is BillingErrors.CycleOpen or BillingErrors.NotACycle or BillingErrors.CycleEmpty)
        {
            var status = ex.Code == BillingErrors.NotACycle ? StatusCodes.Status400BadRequest : StatusCodes.Status409Conflict;
            return Problems.Of(status, ex.Code, ex.Message, ex.Field);
        }
    }
}
