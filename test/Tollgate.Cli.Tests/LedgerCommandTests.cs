using Microsoft.Data.Sqlite;
using NodaTime;
using Tollgate.Core.Catalogs;
using Tollgate.Core.Funding;
using Tollgate.Core.Tenants;
using Tollgate.Storage.Ledger;
using Tollgate.Storage.Sql;

namespace Tollgate.Cli.Tests;

public sealed class LedgerCommandTests
{
    [Fact]
    public async Task Check_CleanThenTampered_ReportsMismatch()
    {
        var path = Path.Combine(Path.GetTempPath(), $"tollgate-cli-{Guid.NewGuid():N}.db");
        var store = new LedgerStore(new SqliteDialect(path), SystemClock.Instance, BuiltInCatalogs.Find);
        await store.MigrateAsync();
        await store.SaveTenantAsync(new TenantSettings("acme"));
        var account = await store.TopUpAsync(new TopUp("acme", "r1", AccountKind.Recharge, "credits", 100m));

        var clean = await CliRunner.RunAsync(string.Empty, "ledger", "check", "--sqlite", path);
        await using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"UPDATE accounts SET posted = posted - 100000000 WHERE account_id = {account.AccountId}";
            await command.ExecuteNonQueryAsync();
        }

        var tampered = await CliRunner.RunAsync(string.Empty, "ledger", "check", "--sqlite", path);

        Assert.Equal(0, clean.ExitCode);
        Assert.Contains("clean: 2 accounts, 1 transfers", clean.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, tampered.ExitCode);
        Assert.Contains($"mismatch: acme/{account.AccountId}: posted 99 but transfers give 100", tampered.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_Postgres_UsesConnectionString()
    {
        var scoped = await TestPostgres.NewSchemaAsync("cli");

        var result = await CliRunner.RunAsync(string.Empty, "ledger", "check", "--postgres", scoped);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("clean: 0 accounts, 0 transfers", result.Stdout, StringComparison.Ordinal);
    }
}
