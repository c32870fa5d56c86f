using Microsoft.AspNetCore.Http;
using Tollgate.Storage.Billing;
using Tollgate.Storage.Ledger;

namespace Tollgate.WebConsole.Hosting;

/// <summary>A bill downloaded from the console (cookie session): the API's own export, isolated like the pages.</summary>
public static class BillDownload
{
    public static async Task<IResult> GetAsync(string tenant, string file, HttpContext context, LedgerStore ledger, BillingStore billing, ConsoleOptions options)
    {
        var session = ConsoleSession.Of(context.User);
        var dot = file.LastIndexOf('.');
        var (id, format) = dot > 0 ? (file[..dot], file[(dot + 1)..]) : (file, string.Empty);
        if (options.BillExport is null || format is not ("csv" or "html" or "json") || session is null || !session.CanRead(tenant)
            || await billing.GetAsync(tenant, id, context.RequestAborted) is not { } bill)
        {
            return Results.NotFound();
        }

        var (body, contentType) = options.BillExport(bill, format);
        return Results.Text(body, contentType);
    }
}
