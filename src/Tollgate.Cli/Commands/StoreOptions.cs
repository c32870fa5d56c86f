using System.CommandLine;
using NodaTime;
using Tollgate.Storage.Catalogs;
using Tollgate.Storage.Ledger;
using Tollgate.Storage.Sql;

namespace Tollgate.Cli.Commands;

/// <summary>
/// Where the ledger lives: <c>--postgres</c> (or TOLLGATE_POSTGRES) for PostgreSQL, else the SQLite file of
/// <c>--sqlite</c> (default data/tollgate.db, the embedded default).
/// </summary>
internal sealed class StoreOptions
{
    public const string DefaultSqlitePath = "data/tollgate.db";

    public Option<string> Sqlite { get; } = new("--sqlite") { Description = "SQLite database file (the embedded default)", DefaultValueFactory = _ => DefaultSqlitePath };

    public Option<string?> Postgres { get; } = new("--postgres") { Description = "PostgreSQL connection string (or set TOLLGATE_POSTGRES)" };

    public void AddTo(Command command)
    {
        command.Options.Add(Sqlite);
        command.Options.Add(Postgres);
    }

    /// <summary>The ledger, migrated, rating with the built-in price books and those created through the API.</summary>
    public async Task<LedgerStore> OpenLedgerAsync(ParseResult parse, CancellationToken cancel)
    {
        var dialect = Dialect(parse);
        var registry = new PriceBookRegistry(dialect, SystemClock.Instance);
        var ledger = new LedgerStore(dialect, SystemClock.Instance, registry.Find);
        await ledger.MigrateAsync(cancel);
        await registry.LoadAsync(cancel);
        return ledger;
    }

    public SqlDialect Dialect(ParseResult parse)
    {
        var postgres = parse.GetValue(Postgres) ?? Environment.GetEnvironmentVariable("TOLLGATE_POSTGRES");
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            return new PostgresDialect(postgres);
        }

        var path = parse.GetValue(Sqlite)!;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        return new SqliteDialect(path);
    }
}
