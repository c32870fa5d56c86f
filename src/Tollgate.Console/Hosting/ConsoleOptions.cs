using Tollgate.Core.Billing;

namespace Tollgate.WebConsole.Hosting;

/// <summary>
/// What the host lends the console: the bill exports the API serves (CSV, printable HTML, JSON), so the console's
/// downloads are the same documents and not a second rendering of a bill.
/// </summary>
public sealed class ConsoleOptions
{
    /// <summary>(bill, "csv" | "html" | "json") -> (body, content type); null leaves the console without downloads.</summary>
    public Func<Bill, string, (string Body, string ContentType)>? BillExport { get; set; }
}
