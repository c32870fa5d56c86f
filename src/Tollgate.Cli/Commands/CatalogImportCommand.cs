using System.CommandLine;
using NodaTime;
using NodaTime.Text;
using Tollgate.Core.Catalogs;
using Tollgate.Core.Catalogs.Import;

namespace Tollgate.Cli.Commands;

/// <summary>
/// <c>tollgate catalog import litellm FILE --id NAME --output BOOK.yaml</c>: a public price map as a price book file,
/// checked like <c>catalog validate</c>, optionally pushed to a server (<c>--server</c>). Every entry or price left
/// out is printed with the reason.
/// </summary>
internal static class CatalogImportCommand
{
    public static Command Create()
    {
        var import = new Command("import", "Turn a public price map into a price book file.");
        import.Subcommands.Add(LiteLlm());
        return import;
    }

    private static Command LiteLlm()
    {
        var api = new ApiOptions();
        var file = new Argument<FileInfo>("file") { Description = "LiteLLM's model_prices_and_context_window.json" };
        var id = new Option<string>("--id") { Description = "Id of the price book", Required = true };
        var output = new Option<FileInfo>("--output") { Description = "The price book file to write (YAML)", Required = true };
        var effective = new Option<string?>("--effective-from") { Description = "When the prices take effect (ISO 8601; default: the next whole minute)" };
        var version = new Option<string?>("--version") { Description = "The version's name (default: its effective_from)" };
        var command = new Command("litellm", "Import LiteLLM's model price map (USD) into a price book; with --server, push it as a new book or version.") { file, id, output, effective, version };
        api.AddTo(command);
        command.SetAction((parse, cancel) => ApiOptions.RunAsync(async () =>
        {
            var input = parse.GetValue(file)!;
            if (!input.Exists)
            {
                throw new FileNotFoundException($"file '{input.FullName}' does not exist");
            }

            var from = parse.GetValue(effective) is { } text
                ? InstantPattern.ExtendedIso.Parse(text).GetValueOrThrow()
                : Instant.FromUnixTimeSeconds(((SystemClock.Instance.GetCurrentInstant().ToUnixTimeSeconds() / 60) + 1) * 60);
            var result = LiteLlmImport.Import(await File.ReadAllTextAsync(input.FullName, cancel), parse.GetValue(id)!, from, parse.GetValue(version));
            var read = PriceBookReader.ReadYaml(result.Yaml);
            if (!read.IsSuccess)
            {
                throw new InvalidOperationException($"the imported book does not validate: {string.Join("; ", read.Errors.Take(5))}");
            }

            var path = parse.GetValue(output)!.FullName;
            await File.WriteAllTextAsync(path, result.Yaml, cancel);
            foreach (var entry in result.Skipped)
            {
                Console.WriteLine($"not imported: {entry.Name}: {entry.Reason}");
            }

            foreach (var entry in result.Partial)
            {
                Console.WriteLine($"imported without: {entry.Name}: {string.Join("; ", entry.Fields)}");
            }

            Console.WriteLine($"imported {result.Imported} of {result.Entries} entries into {path} ({result.Partial.Count} without some prices, {result.Skipped.Count} not imported)");
            if (parse.GetValue(api.Server) is not null)
            {
                PriceBookDocument.TryParse(result.Yaml, out var tree, out _);
                Console.WriteLine(await CatalogServerCommands.PushAsync(api.Client(parse), result.Yaml, read.Book, tree!, cancel));
            }
        }));
        return command;
    }
}
