using System.CommandLine;
using Spectre.Console;
using Tollgate.Core.Catalogs;
using Tollgate.Core.Money;

namespace Tollgate.Cli.Commands;

/// <summary>
/// <c>tollgate catalog list|show|validate|push|dry-run|import</c>: look at, check and manage price books. <c>list</c> and
/// <c>show</c> read the server's books when given a server or key (<c>--server</c>, <c>--key</c>, TOLLGATE_KEY), else the
/// built-in ones and local files.
/// </summary>
internal static class CatalogCommand
{
    public static Command Create()
    {
        var command = new Command("catalog", "List, show, validate, push, dry-run and import price books.");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Validate());
        command.Subcommands.Add(CatalogServerCommands.Push());
        command.Subcommands.Add(CatalogServerCommands.DryRun());
        command.Subcommands.Add(CatalogImportCommand.Create());
        return command;
    }

    private static Command List()
    {
        var api = new ApiOptions();
        var list = new Command("list", "List the server's price books (with a server or key), else the built-in ones.");
        api.AddTo(list);
        list.SetAction(async (parse, cancel) =>
        {
            if (CatalogServerCommands.UsesServer(parse, api))
            {
                await CatalogServerCommands.ListAsync(api.Client(parse), cancel);
                return 0;
            }

            var table = new Table().AddColumns("id", "name", "versions", "in force", "unit", "items");
            foreach (var book in BuiltInCatalogs.All.OrderBy(b => b.Id, StringComparer.Ordinal))
            {
                table.AddRow(
                    Markup.Escape(book.Id),
                    Markup.Escape(book.Name),
                    book.Versions.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Markup.Escape($"{book.Latest.Version} since {book.Latest.EffectiveFrom}"),
                    Markup.Escape(book.Latest.Settlement.Unit),
                    book.Latest.Items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
            return 0;
        });
        return list;
    }

    private static Command Show()
    {
        var api = new ApiOptions();
        var source = new Argument<string>("catalog") { Description = "Price book id (the server's with a server or key, else built-in) or a YAML file" };
        var type = new Option<string?>("--type") { Description = "Only items of this billing type" };
        var show = new Command("show", "Show the items and prices of a price book's latest version.") { source, type };
        api.AddTo(show);
        show.SetAction(async (parse, cancel) =>
        {
            var name = parse.GetValue(source)!;
            var loaded = CatalogServerCommands.UsesServer(parse, api) && !File.Exists(name)
                ? await CatalogServerCommands.LoadAsync(api.Client(parse), name, cancel)
                : CatalogSource.Load(name);
            if (!loaded.IsSuccess)
            {
                return Fail(loaded.Errors);
            }

            var version = loaded.Book.Latest;
            var filter = parse.GetValue(type);
            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(loaded.Book.Id)}@{Markup.Escape(version.Version)}[/] {Markup.Escape(loaded.Book.Name)}, settled in {Markup.Escape(version.Settlement.ToString())}");
            var table = new Table().AddColumns("types", "brand", "model", "prices");
            foreach (var item in version.Items.Where(i => filter is null || i.Types.Contains(filter)))
            {
                table.AddRow(
                    Markup.Escape(string.Join(", ", item.Types.Order(StringComparer.Ordinal))),
                    Markup.Escape(item.Brand ?? string.Empty),
                    Markup.Escape(item.Model),
                    Markup.Escape(DescribePrices(item)));
            }

            AnsiConsole.Write(table);
            return 0;
        });
        return show;
    }

    private static Command Validate()
    {
        var path = new Argument<FileInfo>("file") { Description = "A price book YAML file" };
        var validate = new Command("validate", "Check a price book file and report every problem with its path.") { path };
        validate.SetAction(parse =>
        {
            var file = parse.GetValue(path)!;
            if (!file.Exists)
            {
                return Fail([$"file '{file.FullName}' does not exist"]);
            }

            var result = PriceBookReader.ReadYaml(File.ReadAllText(file.FullName));
            if (!result.IsSuccess)
            {
                return Fail(result.Errors);
            }

            var items = result.Book.Versions.Sum(v => v.Items.Count);
            Console.WriteLine($"ok: {result.Book.Id}, {result.Book.Versions.Count} version(s), {items} item(s)");
            return 0;
        });
        return validate;
    }

    private static string DescribePrices(PriceItem item)
    {
        static string Set(IReadOnlyDictionary<string, MeterPrice>? set) => set is null
            ? "not offered"
            : string.Join(", ", set.Select(p => p.Value.NotOffered ? $"{p.Key} -"
                : p.Value.MultipleOf is { } of ? $"{p.Key} {DecimalText.Format(p.Value.Factor)}x {of}"
                : $"{p.Key} {DecimalText.Format(p.Value.Price)} {p.Value.Currency}/{DecimalText.Format(p.Value.Per)}"));

        var parts = new List<string>();
        if (item.Prices.Count > 0)
        {
            parts.Add(Set(item.Prices));
        }

        parts.AddRange(item.KeyModes.Select(v => $"{v.Key} key: {Set(v.Value)}"));
        parts.AddRange(item.Plans.Select(v => $"{v.Key} plan: {Set(v.Value)}"));
        parts.AddRange(item.Tiers.Select(t => $"above {DecimalText.Format(t.Above)} {t.Meter}: {Set(t.Prices)}"));
        return string.Join("; ", parts);
    }

    private static int Fail(IReadOnlyList<string> errors)
    {
        foreach (var error in errors)
        {
            Console.Error.WriteLine($"error: {error}");
        }

        return 1;
    }
}
