using System.CommandLine;
using Tollgate.Cli.Load;

namespace Tollgate.Cli.Commands;

/// <summary>The options of <c>tollgate bench --mode floor-compare</c>.</summary>
internal sealed class FloorOptions
{
    private readonly Option<string> trace = new("--trace") { Description = "floor-compare: the trace folder or CSV file (default: the committed Azure trace)", DefaultValueFactory = _ => AzureTrace.DefaultPath() };
    private readonly Option<int?> limit = new("--limit") { Description = "floor-compare: only the first N calls of the trace" };
    private readonly Option<int> rounds = new("--rounds") { Description = "floor-compare: interleaved rounds", DefaultValueFactory = _ => 3 };
    private readonly Option<string?> engines = new("--engines") { Description = "floor-compare: sqlite, postgres or sqlite,postgres (default: sqlite, and postgres when a connection string is given)" };
    private readonly Option<string?> postgres = new("--postgres") { Description = "floor-compare: PostgreSQL connection string (or TOLLGATE_POSTGRES); each round uses a new schema" };

    public void AddTo(Command command)
    {
        command.Options.Add(trace);
        command.Options.Add(limit);
        command.Options.Add(rounds);
        command.Options.Add(engines);
        command.Options.Add(postgres);
    }

    public FloorCompare.Settings Settings(ParseResult parse)
    {
        var connection = parse.GetValue(postgres) ?? Environment.GetEnvironmentVariable("TOLLGATE_POSTGRES");
        var list = (parse.GetValue(engines) ?? (string.IsNullOrWhiteSpace(connection) ? "sqlite" : "sqlite,postgres"))
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (list.Any(e => e is not ("sqlite" or "postgres")))
        {
            throw new ArgumentException("--engines lists sqlite and/or postgres");
        }

        if (list.Contains("postgres") && string.IsNullOrWhiteSpace(connection))
        {
            throw new ArgumentException("the postgres engine needs --postgres or TOLLGATE_POSTGRES");
        }

        return new FloorCompare.Settings(parse.GetValue(trace)!, parse.GetValue(limit), Math.Max(1, parse.GetValue(rounds)), list, connection);
    }
}
