using System.CommandLine;
using NodaTime;
using Spectre.Console;
using Tollgate.Client;
using Tollgate.Server.Api;
using Tollgate.Storage.Ledger;

namespace Tollgate.Cli.Commands;

/// <summary><c>tollgate ledger check</c>: recompute every balance from the transfers and report any mismatch.</summary>
internal static class LedgerCommand
{
    public static Command Create()
    {
        var ledger = new Command("ledger", "Inspect the ledger.");
        var store = new StoreOptions();
        var check = new Command("check", "Recompute every balance from the transfers; exit 1 on any mismatch.");
        store.AddTo(check);
        check.SetAction(async (parse, cancel) =>
        {
            var ledgerStore = await store.OpenLedgerAsync(parse, cancel);
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            LedgerCheckReport report = null!;
            await console.Status().StartAsync("checking the ledger", async _ => report = await ledgerStore.CheckAsync(cancel));
            foreach (var problem in report.Problems)
            {
                Console.WriteLine($"mismatch: {problem}");
            }

            Console.WriteLine(report.Clean
                ? $"clean: {report.Accounts} accounts, {report.Transfers} transfers"
                : $"{report.Problems.Count} problem(s) in {report.Accounts} accounts, {report.Transfers} transfers");
            return report.Clean ? 0 : 1;
        });
        ledger.Subcommands.Add(check);
        ledger.Subcommands.Add(Record());
        return ledger;
    }

    /// <summary><c>tollgate ledger record</c>: JSON Lines usage events into the ledger, one result line per event (the API's JSON).</summary>
    private static Command Record()
    {
        var store = new StoreOptions();
        var input = new Option<FileInfo?>("--input") { Description = "JSON Lines file of usage events (default: standard input)" };
        var batch = new Option<int>("--batch") { Description = "Events per transaction (group commit)", DefaultValueFactory = _ => 500 };
        var record = new Command("record", "Rate, fund and post usage events; a repeat of an event returns its first result.") { input, batch };
        store.AddTo(record);
        record.SetAction(async (parse, cancel) =>
        {
            var size = parse.GetValue(batch);
            if (size is < 1 or > 10_000)
            {
                await Console.Error.WriteLineAsync("error: --batch must be between 1 and 10000");
                return 2;
            }

            var file = parse.GetValue(input);
            if (file is { Exists: false })
            {
                throw new FileNotFoundException($"--input file '{file.FullName}' does not exist");
            }

            var ledgerStore = await store.OpenLedgerAsync(parse, cancel);
            using var reader = file is null ? new StreamReader(Console.OpenStandardInput()) : new StreamReader(file.FullName);
            var failed = 0;
            var pending = new List<Core.Events.UsageEvent>(size);
            async Task Flush()
            {
                foreach (var result in await ledgerStore.RecordAsync(pending, cancel))
                {
                    failed += result.Status == RecordResult.Charged ? 0 : 1;
                    Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(result.ToContract(), TollgateJson.Options));
                }

                pending.Clear();
            }

            while (await reader.ReadLineAsync(cancel) is { } line)
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                var parsed = Core.Events.UsageEventParser.Parse(line);
                if (!parsed.IsSuccess)
                {
                    await Flush();
                    var error = Core.Rating.ChargeJson.FromFieldErrors(parsed.Errors);
                    Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(new RecordResult(parsed.Id ?? string.Empty, RecordResult.Rejected, Error: error).ToContract(), TollgateJson.Options));
                    failed++;
                    continue;
                }

                pending.Add(parsed.Event!);
                if (pending.Count == size)
                {
                    await Flush();
                }
            }

            await Flush();
            return failed == 0 ? 0 : 1;
        });
        return record;
    }
}
