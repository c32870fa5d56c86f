using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using CsvHelper;
using Tollgate.Core.Billing;

namespace Tollgate.Server.Billing;

/// <summary>A bill as CSV (one row per line, payment and total, for spreadsheets) and as a printable HTML page.</summary>
public static class BillExports
{
    public static string Csv(Bill bill)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = new CsvWriter(text, CultureInfo.InvariantCulture))
        {
            foreach (var header in new[] { "bill", "unit", "row", "type", "model", "channel", "late_from", "events", "meter", "quantity", "amount", "price_books" })
            {
                csv.WriteField(header);
            }

            csv.NextRecord();
            void Row(string unit, string row, string type = "", string model = "", string channel = "", string late = "", string events = "", string meter = "", string quantity = "", string amount = "", string books = "")
            {
                foreach (var field in new[] { bill.Id, unit, row, type, model, channel, late, events, meter, quantity, amount, books })
                {
                    csv.WriteField(field);
                }

                csv.NextRecord();
            }

            foreach (var s in bill.Units)
            {
                foreach (var line in s.Lines)
                {
                    var late = line.LateFrom?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty;
                    Row(s.Unit, "line", line.Type, line.Model, late: late, events: N(line.Events), amount: N(line.Amount), books: string.Join(' ', line.PriceBooks));
                    foreach (var (meter, quantity) in line.Quantities)
                    {
                        Row(s.Unit, "quantity", line.Type, line.Model, late: late, meter: meter, quantity: N(quantity));
                    }
                }

                foreach (var c in s.Channels)
                {
                    Row(s.Unit, "channel", channel: c.Channel, events: N(c.Events), amount: N(c.Amount));
                }

                foreach (var p in s.Paid)
                {
                    Row(s.Unit, $"paid:{p.Kind}", meter: p.AccountUnit, quantity: N(p.Amount), amount: N(p.Covered));
                }

                Row(s.Unit, "covered", amount: N(s.Covered));
                Row(s.Unit, "arrears", amount: N(s.Arrears));
                Row(s.Unit, "total", events: N(s.Events), amount: N(s.Total));
            }
        }

        return text.ToString();
    }

    public static string Html(Bill bill)
    {
        var h = HtmlEncoder.Default;
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Bill ").Append(h.Encode(bill.Tenant)).Append(' ').Append(h.Encode(bill.Id)).Append("</title>\n")
          .Append("<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}")
          .Append("th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}")
          .Append(".late{color:#a60}.total td{font-weight:bold}@media print{body{margin:0}}</style></head><body>\n")
          .Append("<h1>Bill ").Append(h.Encode(bill.Id)).Append("</h1>\n<p>Tenant <b>").Append(h.Encode(bill.Tenant)).Append("</b>; ")
          .Append(h.Encode(bill.Period)).Append(" cycle ").Append(D(bill.Start)).Append(" to ").Append(D(bill.End)).Append(" (").Append(h.Encode(bill.TimeZone))
          .Append("); issued ").Append(h.Encode(bill.IssuedAt.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture))).Append(".</p>\n")
          .Append("<p>Price books: ").Append(h.Encode(bill.PriceBooks.Count == 0 ? "none" : string.Join(", ", bill.PriceBooks))).Append("</p>\n");
        if (bill.Units.Count == 0)
        {
            sb.Append("<p>No usage in this cycle.</p>\n");
        }

        foreach (var s in bill.Units)
        {
            sb.Append("<h2>").Append(h.Encode(s.Unit)).Append("</h2>\n<table><thead><tr><th>Type</th><th>Model</th><th>Quantities</th><th class=\"n\">Events</th><th class=\"n\">Amount</th></tr></thead><tbody>\n");
            foreach (var line in s.Lines)
            {
                var quantities = string.Join(", ", line.Quantities.Select(q => $"{q.Key} {N(q.Value)}"));
                sb.Append(line.LateFrom is { } late ? "<tr class=\"late\">" : "<tr>")
                  .Append("<td>").Append(h.Encode(line.Type)).Append("</td><td>").Append(h.Encode(line.Model))
                  .Append(line.LateFrom is { } from ? $" (late, from {D(from)})" : string.Empty).Append("</td><td>").Append(h.Encode(quantities))
                  .Append("</td><td class=\"n\">").Append(N(line.Events)).Append("</td><td class=\"n\">").Append(N(line.Amount)).Append("</td></tr>\n");
            }

            sb.Append("<tr class=\"total\"><td colspan=\"3\">Total</td><td class=\"n\">").Append(N(s.Events)).Append("</td><td class=\"n\">").Append(N(s.Total)).Append("</td></tr></tbody></table>\n");
            sb.Append("<table><thead><tr><th>Channel</th><th class=\"n\">Events</th><th class=\"n\">Amount</th></tr></thead><tbody>\n");
            foreach (var c in s.Channels)
            {
                sb.Append("<tr><td>").Append(h.Encode(c.Channel)).Append("</td><td class=\"n\">").Append(N(c.Events)).Append("</td><td class=\"n\">").Append(N(c.Amount)).Append("</td></tr>\n");
            }

            sb.Append("</tbody></table>\n<table><thead><tr><th>Paid from</th><th class=\"n\">Taken</th><th class=\"n\">Covers</th></tr></thead><tbody>\n");
            foreach (var p in s.Paid)
            {
                sb.Append("<tr><td>").Append(h.Encode(p.Kind)).Append("</td><td class=\"n\">").Append(N(p.Amount)).Append(' ').Append(h.Encode(p.AccountUnit))
                  .Append("</td><td class=\"n\">").Append(N(p.Covered)).Append("</td></tr>\n");
            }

            sb.Append("<tr><td>Free quotas and resource packs</td><td></td><td class=\"n\">").Append(N(s.Covered)).Append("</td></tr>\n")
              .Append("<tr><td>Arrears (owed)</td><td></td><td class=\"n\">").Append(N(s.Arrears)).Append("</td></tr></tbody></table>\n");
        }

        return sb.Append("</body></html>\n").ToString();
    }

    private static string N(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string D(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
