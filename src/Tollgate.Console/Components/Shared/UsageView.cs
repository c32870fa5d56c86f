using System.Globalization;
using NodaTime;
using NodaTime.Text;
using Tollgate.Core.Calendar;
using Tollgate.Core.Tenants;
using Tollgate.Storage.Usage;

namespace Tollgate.WebConsole.Components.Shared;

/// <summary>
/// The usage page's question (from its query string) and answer: one UsageStore query over the hourly rollups,
/// bucketed in the tenant's zone and grouped by one dimension, shaped as a stacked series per group. The page's chart,
/// its table and the CSV download are all this one object, so they cannot disagree.
/// </summary>
public sealed class UsageView
{
    public static readonly string[] Buckets = ["hour", "day", "month"];
    public static readonly string[] Dimensions = ["type", "model", "channel", "key_mode", "subject"];
    private static readonly LocalDatePattern Date = LocalDatePattern.Iso;

    private UsageView(string bucket, string by, LocalDate from, LocalDate to, IReadOnlyList<UsageRow> rows, string? metric, string? error)
    {
        Bucket = bucket;
        By = by;
        From = from;
        To = to;
        Rows = rows;
        Error = error;
        Metrics = [.. rows.SelectMany(r => r.Amounts.Keys).Distinct().Order(StringComparer.Ordinal).Select(u => "amount:" + u)
            .Concat(rows.SelectMany(r => r.Quantities.Keys).Distinct().Order(StringComparer.Ordinal).Select(m => "quantity:" + m)), "events"];
        Metric = metric is not null && Metrics.Contains(metric) ? metric : Metrics[0];
        Labels = [.. rows.Select(r => r.Bucket ?? string.Empty).Distinct().Order(StringComparer.Ordinal)];
        Series = [.. rows.Select(Group).Distinct().Order(StringComparer.Ordinal)];
    }

    private Dictionary<(string Label, string Series), decimal>? cells;

    public string Bucket { get; }

    public string By { get; }

    public LocalDate From { get; }

    /// <summary>The last local day included.</summary>
    public LocalDate To { get; }

    public IReadOnlyList<UsageRow> Rows { get; }

    public string? Error { get; }

    /// <summary>What can be charted: amount per unit, quantity per meter, or the number of events.</summary>
    public IReadOnlyList<string> Metrics { get; }

    public string Metric { get; }

    public IReadOnlyList<string> Labels { get; }

    public IReadOnlyList<string> Series { get; }

    public string FromText => Date.Format(From);

    public string ToText => Date.Format(To);

    public string Group(UsageRow row) => row.Group.GetValueOrDefault(By) is { Length: > 0 } g ? g : "(none)";

    public decimal Value(UsageRow row) => Metric switch
    {
        "events" => row.Events,
        _ when Metric.StartsWith("amount:", StringComparison.Ordinal) => row.Amounts.GetValueOrDefault(Metric["amount:".Length..]),
        _ => row.Quantities.GetValueOrDefault(Metric["quantity:".Length..]),
    };

    /// <summary>The charted metric of one bucket and series (0 when it has no row).</summary>
    public decimal ValueAt(string label, string series)
    {
        // Summed once per view: a month by 50 end users is 1,550 cells, and scanning the rows per cell was quadratic.
        cells ??= Rows.GroupBy(r => (r.Bucket ?? string.Empty, Group(r))).ToDictionary(g => g.Key, g => g.Sum(Value));
        return cells.GetValueOrDefault((label, series));
    }

    /// <summary>The charted metric of each series over the whole range, for the breakdown.</summary>
    public decimal TotalOf(string series) => Labels.Sum(l => ValueAt(l, series));

    public static async Task<UsageView> QueryAsync(
        TenantSettings tenant, UsageStore usage, Instant now, string? bucket, string? by, string? from, string? to, string? metric, CancellationToken cancel,
        UsageFilter? filter = null)
    {
        filter ??= new UsageFilter();
        bucket = bucket is null || !Buckets.Contains(bucket) ? "day" : bucket;
        by = by is null || !Dimensions.Contains(by) ? "type" : by;
        var today = now.InZone(TenantCalendar.Zone(tenant.TimeZone)).Date;
        var defaultFrom = bucket switch { "hour" => today.PlusDays(-1), "month" => today.PlusMonths(-11).With(DateAdjusters.StartOfMonth), _ => today.PlusDays(-29) };
        string? error = null;
        var fromDate = Parse(from, defaultFrom, "from", ref error);
        var toDate = Parse(to, today, "to", ref error);
        if (toDate < fromDate)
        {
            error ??= "'to' must not be before 'from'.";
            (fromDate, toDate) = (defaultFrom, today);
        }

        if (Period.Between(fromDate, toDate, PeriodUnits.Days).Days > (bucket == "hour" ? 31 : 3660))
        {
            error ??= bucket == "hour" ? "By hour, a range is at most 31 days." : "A range is at most ten years.";
            (fromDate, toDate) = (defaultFrom, today);
        }

        if ((by == "subject" || filter.Subject is not null) && bucket == "hour")
        {
            error ??= "Usage per end user is kept by day: choose day or month.";
            bucket = "day";
        }

        var zone = TenantCalendar.Zone(tenant.TimeZone);
        var query = new UsageQuery(
            tenant.Id,
            zone.AtStartOfDay(fromDate).ToInstant(),
            zone.AtStartOfDay(toDate.PlusDays(1)).ToInstant(),
            Type: filter.Type,
            Model: filter.Model,
            Channel: filter.Channel,
            Subject: filter.Subject,
            GroupBy: [by],
            Bucket: bucket switch { "hour" => UsageBucket.Hour, "month" => UsageBucket.Month, _ => UsageBucket.Day });
        var rows = await usage.QueryAsync(query, cancel);
        return new UsageView(bucket, by, fromDate, toDate, rows, metric, error);
    }

    private static LocalDate Parse(string? text, LocalDate otherwise, string name, ref string? error)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return otherwise;
        }

        var parsed = Date.Parse(text.Trim());
        if (parsed.Success)
        {
            return parsed.Value;
        }

        error ??= $"'{name}' must be a date such as 2026-01-31 (got '{text}').";
        return otherwise;
    }

    public static string N(decimal value) => value.ToString("0.##########", CultureInfo.InvariantCulture);
}
