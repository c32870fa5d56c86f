using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Tollgate.Storage.Billing;
using Tollgate.Storage.Ledger;
using Tollgate.Storage.Usage;

namespace Tollgate.Server.OpenApi;

/// <summary>What the query parameters take: the handlers read them as text and check them by hand.</summary>
internal static class ParameterDocs
{
    public static void Apply(OpenApiOperation operation, string path)
    {
        // Bills are listed by local dates and in pages of their own size.
        var bills = path.EndsWith("/bills", StringComparison.Ordinal);
        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>().Where(p => p.In == ParameterLocation.Query))
        {
            switch (parameter.Name)
            {
                case "from" or "to" when bills:
                    parameter.Description = "A local date in the tenant's zone (yyyy-MM-dd) bounding the cycle's first day; from is inclusive, to exclusive";
                    parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date" };
                    break;
                case "limit" when bills:
                    parameter.Description = $"Bills per page, 1 to {BillingStore.MaxPageSize} (100 by default)";
                    parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = BillingStore.MaxPageSize.ToString(System.Globalization.CultureInfo.InvariantCulture) };
                    break;
                case "from" or "to":
                    parameter.Description = "An instant in ISO 8601 with its offset, such as 2026-11-20T00:00:00+08:00; from is inclusive, to exclusive";
                    parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" };
                    break;
                case "bucket":
                    parameter.Description = "Sum per hour, day or month in each tenant's zone (hour is not kept per subject); none by default";
                    parameter.Schema = Enum("none", "hour", "day", "month");
                    break;
                case "format":
                    parameter.Description = "json (the default), csv, or html (printable)";
                    parameter.Schema = Enum("json", "csv", "html");
                    break;
                case "key_mode":
                    parameter.Schema = Enum("platform", "own");
                    break;
                case "group_by":
                    parameter.Description = "Comma-separated dimensions: " + string.Join(", ", UsageStore.Dimensions.Keys);
                    break;
                case "limit":
                    parameter.Description = $"Transfers per page, 1 to {LedgerStore.MaxPageSize} (100 by default)";
                    parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = LedgerStore.MaxPageSize.ToString(System.Globalization.CultureInfo.InvariantCulture) };
                    break;
                case "cursor":
                    parameter.Description = "The next_cursor of the previous page";
                    break;
                case "tenant":
                    parameter.Description ??= "A tenant's id (a tenant key sees only its own tenant)";
                    break;
            }
        }
    }

    private static OpenApiSchema Enum(params string[] values) =>
        new() { Type = JsonSchemaType.String, Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))] };
}
