using Tollgate.Core.Billing;

namespace Tollgate.Server.Billing;

/// <summary>A bill in one of the API's formats, for the console's downloads (the same documents as GET /v1/.../bills/{id}?format=).</summary>
public static class BillFormats
{
    public static (string Body, string ContentType) Render(Bill bill, string format) => format switch
    {
        "csv" => (BillExports.Csv(bill), "text/csv; charset=utf-8"),
        "html" => (BillExports.Html(bill), "text/html; charset=utf-8"),
        _ => (System.Text.Json.JsonSerializer.Serialize(bill, Client.TollgateJson.Options), "application/json; charset=utf-8"),
    };
}
