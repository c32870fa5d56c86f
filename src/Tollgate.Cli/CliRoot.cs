using System.CommandLine;
using Tollgate.Cli.Commands;

namespace Tollgate.Cli;

/// <summary>The <c>tollgate</c> command tree (also parsed by the tests, to check every command line the README shows).</summary>
internal static class CliRoot
{
    public static RootCommand Create()
    {
        var root = new RootCommand("Tollgate: metering, rating and credit billing for AI platforms.");
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(AdminCommands.Keys());
        root.Subcommands.Add(AdminCommands.Tenants());
        root.Subcommands.Add(AdminCommands.TopUp());
        root.Subcommands.Add(UsageCommand.Create());
        root.Subcommands.Add(BillsCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(ReplayCommand.Create());
        root.Subcommands.Add(RateCommand.Create());
        root.Subcommands.Add(CatalogCommand.Create());
        root.Subcommands.Add(LedgerCommand.Create());
        return root;
    }
}
