using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Tollgate.Core.Events;
using Tollgate.Core.Rating;

namespace Tollgate.Cli.Commands;

/// <summary><c>tollgate rate</c>: JSON Lines usage events in, one JSON line per event out (its charge or its error).</summary>
internal static class RateCommand
{
    /// <summary>Inputs larger than this show a progress bar on an interactive terminal.</summary>
    private const long ProgressThresholdBytes = 1_000_000;

    public static Command Create()
    {
        var catalog = new Option<string>("--catalog") { Description = "Built-in price book id (coze-credits, gptbots, agent-voice) or a YAML file", Required = true };
        var plan = new Option<string>("--plan") { Description = "Tenant plan: free or premium", DefaultValueFactory = _ => Plans.Free };
        plan.AcceptOnlyFromAmong(Plans.Free, Plans.Premium);
        var discount = new Option<decimal>("--user-discount") { Description = "Tenant's user discount factor (0.8 = 20% off)", DefaultValueFactory = _ => 1m };
        var input = new Option<FileInfo?>("--input") { Description = "JSON Lines file of usage events (default: standard input)" };

        var command = new Command("rate", "Price usage events with a price book, without charging anyone.") { catalog, plan, discount, input };
        command.SetAction(async (parse, cancel) =>
        {
            var loaded = CatalogSource.Load(parse.GetValue(catalog)!);
            if (!loaded.IsSuccess)
            {
                await Console.Error.WriteLineAsync($"error: {string.Join(Environment.NewLine, loaded.Errors)}");
                return 2;
            }

            var userDiscount = parse.GetValue(discount);
            if (userDiscount <= 0m)
            {
                await Console.Error.WriteLineAsync("error: --user-discount must be greater than zero");
                return 2;
            }

            var context = new RatingContext(parse.GetValue(plan)!, userDiscount);
            var file = parse.GetValue(input);
            if (file is { Exists: false })
            {
                await Console.Error.WriteLineAsync($"error: --input file '{file.FullName}' does not exist");
                return 2;
            }

            await using var output = Console.OpenStandardOutput();
            using var reader = file is null ? new StreamReader(Console.OpenStandardInput()) : new StreamReader(file.FullName);
            var stopwatch = Stopwatch.StartNew();
            var showProgress = file is not null && file.Length > ProgressThresholdBytes && !Console.IsErrorRedirected;
            var summary = showProgress
                ? await RateWithProgress(reader, output, loaded.Book, context, file!.Length, cancel)
                : await EventStreamRater.RateAsync(reader, output, loaded.Book, context, null, cancel);

            await Console.Error.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"rated {summary.Rated} events, {summary.Failed} errors, in {stopwatch.Elapsed.TotalSeconds:0.00} s"));
            return summary.Failed == 0 ? 0 : 1;
        });
        return command;
    }

    private static async Task<RateSummary> RateWithProgress(StreamReader reader, Stream output, Core.Catalogs.PriceBook book, RatingContext context, long length, CancellationToken cancel)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        RateSummary summary = default;
        await console.Progress().StartAsync(async progress =>
        {
            var task = progress.AddTask("rating", maxValue: length);
            summary = await EventStreamRater.RateAsync(reader, output, book, context, bytes => task.Value = bytes, cancel);
            task.Value = length;
        });
        return summary;
    }
}
