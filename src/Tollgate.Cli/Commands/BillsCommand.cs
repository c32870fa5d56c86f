using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Tollgate.Client.Contracts;

namespace Tollgate.Cli.Commands;

/// <summary><c>tollgate bills list|show|issue</c>: a tenant's bills from a running server.</summary>
internal static class BillsCommand
{
    public static Command Create()
    {
        var bills = new Command("bills", "List, show, export and issue a tenant's bills.");
        bills.Subcommands.Add(List());
        bills.Subcommands.Add(Show());
        bills.Subcommands.Add(Issue());
        return bills;
    }

    private static Command List()
    {
        var api = new ApiOptions();
        var tenant = new Argument<string>("tenant");
        var from = new Option<DateOnly?>("--from") { Description = "Only cycles starting on or after this day (yyyy-MM-dd)" };
        var to = new Option<DateOnly?>("--to") { Description = "Only cycles starting before this day (yyyy-MM-dd)" };
        var limit = new Option<int?>("--limit") { Description = "Bills per page (1 to 500; default 100)" };
        var cursor = new Option<string?>("--cursor") { Description = "Start at the page a previous list named" };
        var all = new Option<bool>("--all") { Description = "Follow the pages to the last one" };
        var command = new Command("list", "The tenant's bills, newest first, with their totals (a cycle without charges has no bill).") { tenant, from, to, limit, cursor, all };
        api.AddTo(command);
        command.SetAction((parse, cancel) => ApiOptions.RunAsync(async () =>
        {
            // Five narrow columns: with its borders a row fits 80 columns; long totals wrap inside their cell.
            var table = new Table { Width = ListWidth }.AddColumns("bill", "period", "issued", "events", "totals");
            table.Columns[3].RightAligned();
            var client = api.Client(parse);
            var query = new BillQuery(parse.GetValue(from), parse.GetValue(to), parse.GetValue(limit), parse.GetValue(cursor));
            BillList page;
            do
            {
                page = await client.ListBillsAsync(parse.GetValue(tenant)!, query, cancel);
                foreach (var b in page.Bills)
                {
                    table.AddRow(b.Id, b.Period, b.IssuedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                        b.Units.Sum(u => u.Events).ToString(CultureInfo.InvariantCulture), Markup.Escape(Totals(b)));
                }

                query = query with { Cursor = page.NextCursor };
            }
            while (parse.GetValue(all) && page.NextCursor is not null);

            ApiOptions.Print(table);
            if (page.NextCursor is { } next)
            {
                Console.WriteLine($"more: --cursor {next}");
            }
        }));
        return command;
    }

    /// <summary>The widest the bill list is: an 80-column terminal.</summary>
    public const int ListWidth = 80;

    private static Command Show()
    {
        var api = new ApiOptions();
        var tenant = new Argument<string>("tenant");
        var id = new Argument<string>("id") { Description = "The bill: its cycle, 2026-11-20 or 2026-11" };
        var format = new Option<string?>("--format") { Description = "Export as json, csv or html instead of printing tables" };
        var output = new Option<FileInfo?>("--output") { Description = "Write the export to this file (default: standard output)" };
        var command = new Command("show", "A bill's lines, channel subtotals and payments; or its JSON, CSV or printable HTML.") { tenant, id, format, output };
        api.AddTo(command);
        command.SetAction((parse, cancel) => ApiOptions.RunAsync(async () =>
        {
            var client = api.Client(parse);
            if (parse.GetValue(format) is { } f)
            {
                var text = f == "json"
                    ? System.Text.Json.JsonSerializer.Serialize(await client.GetBillAsync(parse.GetValue(tenant)!, parse.GetValue(id)!, cancel), new System.Text.Json.JsonSerializerOptions(Client.TollgateJson.Options) { WriteIndented = true })
                    : await client.ExportBillAsync(parse.GetValue(tenant)!, parse.GetValue(id)!, f, cancel);
                if (parse.GetValue(output) is { } file)
                {
                    await File.WriteAllTextAsync(file.FullName, text, cancel);
                    Console.WriteLine($"wrote bill {parse.GetValue(id)} to {file.FullName}");
                }
                else
                {
                    Console.Write(text);
                }

                return;
            }

            Print(await client.GetBillAsync(parse.GetValue(tenant)!, parse.GetValue(id)!, cancel));
        }));
        return command;
    }

    private static Command Issue()
    {
        var api = new ApiOptions();
        var tenant = new Argument<string>("tenant");
        var cycle = new Option<DateOnly>("--cycle") { Description = "The closed cycle's first day (2026-11-20; a monthly cycle: 2026-11-01)", Required = true };
        var command = new Command("issue", "Issue a closed cycle's bill now, without waiting for the delay.") { tenant, cycle };
        api.AddTo(command);
        command.SetAction((parse, cancel) => ApiOptions.RunAsync(async () =>
            Print(await api.Client(parse).IssueBillAsync(parse.GetValue(tenant)!, new IssueBillRequest(parse.GetValue(cycle)), cancel))));
        return command;
    }

    private static void Print(Bill bill)
    {
        AnsiConsole.MarkupLine($"[bold]Bill {Markup.Escape(bill.Id)}[/] for {Markup.Escape(bill.Tenant)}: {D(bill.Start)} to {D(bill.End)} ({Markup.Escape(bill.TimeZone)}), issued {bill.IssuedAt:yyyy-MM-dd HH:mm zzz}");
        AnsiConsole.MarkupLine($"price books: {Markup.Escape(string.Join(", ", bill.PriceBooks))}");
        foreach (var s in bill.Units)
        {
            var lines = new Table().Title(Markup.Escape(s.Unit)).AddColumns("type", "model", "quantities", "events", "amount");
            foreach (var l in s.Lines)
            {
                var model = l.LateFrom is { } late ? $"{l.Model} (late, from {D(late)})" : l.Model;
                lines.AddRow(Markup.Escape(l.Type), Markup.Escape(model), Markup.Escape(string.Join(", ", l.Quantities.Select(q => $"{q.Key} {N(q.Value)}"))), l.Events.ToString(CultureInfo.InvariantCulture), N(l.Amount));
            }

            lines.AddRow("[bold]total[/]", "", "", s.Events.ToString(CultureInfo.InvariantCulture), $"[bold]{N(s.Total)}[/]");
            ApiOptions.Print(lines);
            var paid = new Table().AddColumns("channel / paid from", "events", "amount");
            foreach (var c in s.Channels)
            {
                paid.AddRow(Markup.Escape(c.Channel), c.Events.ToString(CultureInfo.InvariantCulture), N(c.Amount));
            }

            foreach (var p in s.Paid)
            {
                paid.AddRow(Markup.Escape($"{p.Kind} ({N(p.Amount)} {p.AccountUnit})"), "", N(p.Covered));
            }

            paid.AddRow("free quotas and packs", "", N(s.Covered));
            paid.AddRow("arrears", "", N(s.Arrears));
            ApiOptions.Print(paid);
        }
    }

    private static string Totals(Bill b) => b.Units.Count == 0 ? "-" : string.Join(", ", b.Units.Select(u => $"{N(u.Total)} {u.Unit}"));

    private static string N(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static string D(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
