using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Tollgate.Client;
using Tollgate.Client.Contracts;
using Tollgate.Core.Catalogs;
using Tollgate.Core.Money;

namespace Tollgate.Cli.Commands;

/// <summary>
/// <c>tollgate catalog push|dry-run</c> and the server side of <c>list</c>/<c>show</c>: price books on a running
/// server (<c>--server</c>/<c>--key</c>, or TOLLGATE_URL/TOLLGATE_KEY).
/// </summary>
internal static class CatalogServerCommands
{
    /// <summary>True when the command should ask a server: a key was given (option or TOLLGATE_KEY).</summary>
    public static bool UsesServer(ParseResult parse, ApiOptions api) =>
        parse.GetValue(api.Key) is not null || parse.GetValue(api.Server) is not null || Environment.GetEnvironmentVariable("TOLLGATE_KEY") is { Length: > 0 };

    public static async Task ListAsync(TollgateClient client, CancellationToken cancel)
    {
        var table = new Table().AddColumns("id", "name", "versions", "latest", "unit", "items");
        foreach (var book in (await client.ListPriceBooksAsync(cancel)).PriceBooks)
        {
            var latest = book.Versions[^1];
            table.AddRow(
                Markup.Escape(book.Id),
                Markup.Escape(book.Name),
                book.Versions.Count.ToString(CultureInfo.InvariantCulture),
                Markup.Escape($"{latest.Version} from {latest.EffectiveFrom.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}"),
                Markup.Escape(latest.Unit),
                latest.Items.ToString(CultureInfo.InvariantCulture));
        }

        ApiOptions.Print(table);
    }

    /// <summary>The server's whole document of a book, read like a local file.</summary>
    public static async Task<PriceBookReadResult> LoadAsync(TollgateClient client, string id, CancellationToken cancel)
    {
        var info = await client.GetPriceBookAsync(id, cancel);
        return PriceBookReader.ReadJson(info.Document!.Value.GetRawText());
    }

    public static Command Push()
    {
        var api = new ApiOptions();
        var file = new Argument<FileInfo>("file") { Description = "A price book file (YAML or JSON)" };
        var push = new Command("push", "Create the file's price book on the server, or add the file's versions it does not have yet.") { file };
        api.AddTo(push);
        push.SetAction((parse, cancel) => ApiOptions.RunAsync(async () =>
        {
            var (text, book, tree) = Read(parse.GetValue(file)!);
            Console.WriteLine(await PushAsync(api.Client(parse), text, book, tree, cancel));
        }));
        return push;
    }

    /// <summary>Creates the book, or adds the versions (in the file's order) the server's book lacks; one line saying what happened.</summary>
    public static async Task<string> PushAsync(TollgateClient client, string text, PriceBook book, object tree, CancellationToken cancel)
    {
        PriceBookInfo? existing;
        try
        {
            existing = await client.GetPriceBookAsync(book.Id, cancel);
        }
        catch (TollgateException ex) when (ex.Status == System.Net.HttpStatusCode.NotFound)
        {
            existing = null;
        }

        if (existing is null)
        {
            var created = await client.CreatePriceBookAsync(text, cancel);
            return $"created {created.Id} with version(s) {string.Join(", ", created.Versions.Select(v => v.Version))}";
        }

        var known = existing.Versions.Select(v => v.Version).ToHashSet(StringComparer.Ordinal);
        var versions = (IList<object?>)((IDictionary<object, object?>)tree)["versions"]!;
        var added = new List<string>();
        for (var i = 0; i < book.Versions.Count; i++)
        {
            if (!known.Contains(book.Versions[i].Version))
            {
                await client.AddPriceBookVersionAsync(book.Id, PriceBookDocument.ToJson(versions[i]), cancel);
                added.Add(book.Versions[i].Version);
            }
        }

        return added.Count == 0
            ? throw new ArgumentException($"the server's {book.Id} already has every version of the file ({string.Join(", ", known)})")
            : $"added version(s) {string.Join(", ", added)} to {book.Id}";
    }

    public static Command DryRun()
    {
        var api = new ApiOptions();
        var file = new Argument<FileInfo>("file") { Description = "A price book file; its latest version is the candidate for the server's book of the same id" };
        var tenant = new Option<string?>("--tenant") { Description = "Only this tenant's events" };
        var dryRun = new Command("dry-run", "Rate the server's stored events with the file's latest version and compare the totals; changes nothing.") { file, tenant };
        api.AddTo(dryRun);
        dryRun.SetAction((parse, cancel) => ApiOptions.RunAsync(async () =>
        {
            var (_, book, tree) = Read(parse.GetValue(file)!);
            var versions = (IList<object?>)((IDictionary<object, object?>)tree)["versions"]!;
            var report = await api.Client(parse).DryRunAsync(book.Id, PriceBookDocument.ToJson(versions[^1]), parse.GetValue(tenant), cancel);
            Console.WriteLine($"{book.Id}@{book.Latest.Version}: {report.Events} event(s), {report.Changed} priced differently"
                + string.Concat(report.Failed.Select(f => $", {f.Value} {f.Key}")));
            var table = new Table().AddColumns("unit", "current", "candidate", "difference");
            foreach (var total in report.Totals)
            {
                table.AddRow(Markup.Escape(total.Unit), DecimalText.Format(total.Current), DecimalText.Format(total.Candidate), DecimalText.Format(total.Difference));
            }

            ApiOptions.Print(table);
        }));
        return dryRun;
    }

    private static (string Text, PriceBook Book, object Tree) Read(FileInfo file)
    {
        if (!file.Exists)
        {
            throw new FileNotFoundException($"file '{file.FullName}' does not exist");
        }

        var text = File.ReadAllText(file.FullName);
        var read = PriceBookReader.ReadYaml(text);
        if (!read.IsSuccess)
        {
            throw new ArgumentException($"{file.Name} is not a valid price book: {string.Join("; ", read.Errors)}");
        }

        PriceBookDocument.TryParse(text, out var tree, out _);
        return (text, read.Book, tree!);
    }
}
