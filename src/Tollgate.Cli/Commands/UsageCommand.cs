using System.CommandLine;
using System.Globalization;
using CsvHelper;
using Spectre.Console;
using Tollgate.Client.Contracts;

namespace Tollgate.Cli.Commands;

/// <summary><c>tollgate usage</c>: usage and spend from a running server, as a table with a bar chart of spend, or CSV.</summary>
internal static class UsageCommand
{
    public static Command Create()
    {
        var api = new ApiOptions();
        var tenant = new Option<string?>("--tenant") { Description = "One tenant (a tenant key always sees its own)" };
        var from = new Option<DateTimeOffset?>("--from") { Description = "From (ISO 8601), whole hours" };
        var to = new Option<DateTimeOffset?>("--to") { Description = "To (ISO 8601), exclusive" };
        var type = new Option<string?>("--type") { Description = "Only this billing type (llm_text, tool, ...)" };
        var model = new Option<string?>("--model") { Description = "Only this model" };
        var channel = new Option<string?>("--channel") { Description = "Only this channel" };
        var subject = new Option<string?>("--subject") { Description = "Only this end user" };
        var keyMode = new Option<string?>("--key-mode") { Description = "Only this key mode (platform, own_key)" };
        var groupBy = new Option<string?>("--group-by") { Description = "Comma-separated: tenant, type, model, channel, subject, key_mode" };
        var bucket = new Option<string?>("--bucket") { Description = "hour, day or month, in the tenant's time zone" };
        var csv = new Option<FileInfo?>("--csv") { Description = "Write the rows to this CSV file instead of printing them" };
        var command = new Command("usage", "Usage and spend over time, grouped and bucketed; a table and a chart of spend, or CSV.")
        {
            tenant, from, to, type, model, channel, subject, keyMode, groupBy, bucket, csv,
        };
        api.AddTo(command);
        command.SetAction((parse, cancel) => ApiOptions.RunAsync(async () =>
        {
            var query = new UsageQuery(
                parse.GetValue(tenant), parse.GetValue(from), parse.GetValue(to), parse.GetValue(type), parse.GetValue(model), parse.GetValue(channel),
                parse.GetValue(subject), parse.GetValue(keyMode), parse.GetValue(groupBy)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                parse.GetValue(bucket));
            var report = await api.Client(parse).GetUsageAsync(query, cancel);
            if (parse.GetValue(csv) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, Csv(report), cancel);
                Console.WriteLine($"wrote {report.Rows.Count} rows to {file.FullName}");
                return;
            }

            Print(report);
        }));
        return command;
    }

    private static (List<string> Meters, List<string> Units) Columns(UsageReport report) =>
        ([.. report.Rows.SelectMany(r => r.Quantities.Keys).Distinct().Order(StringComparer.Ordinal)],
         [.. report.Rows.SelectMany(r => r.Amounts.Keys).Distinct().Order(StringComparer.Ordinal)]);

    internal static string Csv(UsageReport report)
    {
        var (meters, units) = Columns(report);
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = new CsvWriter(text, CultureInfo.InvariantCulture))
        {
            foreach (var header in new[] { "bucket" }.Concat(report.GroupBy).Append("events").Concat(meters).Concat(units.Select(u => "amount_" + u)))
            {
                csv.WriteField(header);
            }

            csv.NextRecord();
            foreach (var row in report.Rows)
            {
                csv.WriteField(row.Bucket ?? string.Empty);
                foreach (var g in report.GroupBy)
                {
                    csv.WriteField(row.Group.GetValueOrDefault(g, string.Empty));
                }

                csv.WriteField(row.Events.ToString(CultureInfo.InvariantCulture));
                foreach (var m in meters)
                {
                    csv.WriteField(Text(row.Quantities.GetValueOrDefault(m)));
                }

                foreach (var u in units)
                {
                    csv.WriteField(Text(row.Amounts.GetValueOrDefault(u)));
                }

                csv.NextRecord();
            }
        }

        return text.ToString();
    }

    private static void Print(UsageReport report)
    {
        var (meters, units) = Columns(report);
        var table = new Table();
        table.AddColumn("bucket");
        foreach (var g in report.GroupBy)
        {
            table.AddColumn(g);
        }

        table.AddColumn(new TableColumn("events").RightAligned());
        foreach (var column in meters.Concat(units))
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        foreach (var row in report.Rows)
        {
            var cells = new List<string> { row.Bucket ?? "(all)" };
            cells.AddRange(report.GroupBy.Select(g => Markup.Escape(row.Group.GetValueOrDefault(g, string.Empty))));
            cells.Add(row.Events.ToString("N0", CultureInfo.InvariantCulture));
            cells.AddRange(meters.Select(m => Text(row.Quantities.GetValueOrDefault(m))));
            cells.AddRange(units.Select(u => Text(row.Amounts.GetValueOrDefault(u))));
            table.AddRow([.. cells]);
        }

        ApiOptions.Print(table);
        foreach (var unit in units)
        {
            var chart = new BarChart().Label($"spend in {Markup.Escape(unit)}").Width(Math.Min(100, Console.IsOutputRedirected ? 100 : Console.WindowWidth));
            foreach (var row in report.Rows.Where(r => r.Amounts.ContainsKey(unit)).Take(40))
            {
                var label = string.Join(" ", new[] { row.Bucket }.Concat(report.GroupBy.Select(g => row.Group.GetValueOrDefault(g))).Where(s => !string.IsNullOrEmpty(s)));
                chart.AddItem(Markup.Escape(label.Length == 0 ? "all" : label), (double)row.Amounts[unit], Color.Teal);
            }

            AnsiConsole.Write(chart);
        }
    }

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
