using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using NodaTime;
using Tollgate.Storage.Ledger;
using Tollgate.Storage.Usage;
using Tollgate.WebConsole.Components.Shared;

namespace Tollgate.WebConsole.Hosting;

/// <summary>The usage page's table as CSV: the same query string, the same <see cref="UsageView"/>, so it matches the chart.</summary>
public static class UsageCsv
{
    public static async Task<IResult> GetAsync(
        string tenant, string? bucket, string? by, string? from, string? to, string? metric, string? type, string? model, string? channel, string? subject,
        HttpContext context, LedgerStore ledger, UsageStore usage, IClock clock)
    {
        var session = ConsoleSession.Of(context.User);
        var settings = session is not null && session.CanRead(tenant) ? await ledger.GetTenantAsync(tenant, context.RequestAborted) : null;
        if (settings is null)
        {
            return Results.NotFound();
        }

        var view = await UsageView.QueryAsync(settings, usage, clock.GetCurrentInstant(), bucket, by, from, to, metric, context.RequestAborted, UsageFilter.Of(type, model, channel, subject));
        var columns = view.Metrics.Where(m => m != "events").ToList();
        var csv = new StringBuilder();
        csv.AppendJoin(',', new[] { view.Bucket, view.By, "events" }.Concat(columns).Select(Field)).Append('\n');
        foreach (var row in view.Rows.OrderBy(r => r.Bucket, StringComparer.Ordinal).ThenBy(view.Group, StringComparer.Ordinal))
        {
            var values = columns.Select(m => m.StartsWith("amount:", StringComparison.Ordinal)
                ? row.Amounts.GetValueOrDefault(m["amount:".Length..])
                : row.Quantities.GetValueOrDefault(m["quantity:".Length..]));
            csv.AppendJoin(',', new[] { row.Bucket ?? string.Empty, view.Group(row), row.Events.ToString(CultureInfo.InvariantCulture) }
                .Concat(values.Select(UsageView.N)).Select(Field)).Append('\n');
        }

        var name = $"usage-{tenant}-{view.FromText}-{view.ToText}-{view.Bucket}-by-{view.By}.csv";
        return Results.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv", name);
    }

    /// <summary>RFC 4180 quoting; a leading formula character is prefixed so a spreadsheet never runs a model name as a formula.</summary>
    private static string Field(string value)
    {
        if (value.Length > 0 && "=+-@".Contains(value[0], StringComparison.Ordinal) && !decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out _))
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
