using NodaTime;
using Tollgate.Core.Catalogs;
using Tollgate.Core.Funding;
using Tollgate.Core.Tenants;
using Tollgate.Storage.Ledger;
using Tollgate.Storage.Sql;

namespace Tollgate.Cli.Tests;

/// <summary>Every CLI failure is one line with its cause and a non-zero exit; every JSON it prints is the API's.</summary>
public sealed class CliErrorTests
{
    [Fact]
    public async Task LedgerRecord_MissingInput_OneLineErrorNoStackTrace()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.jsonl");

        var result = await CliRunner.RunAsync(string.Empty, "ledger", "record", "--input", missing, "--sqlite", Path.Combine(Path.GetTempPath(), $"tollgate-cli-{Guid.NewGuid():N}.db"));

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(missing, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerCommand_NoServer_OneLineError()
    {
        var result = await CliRunner.RunAsync(string.Empty, "tenants", "show", "acme", "--server", "http://127.0.0.1:9", "--key", "tg_x_y");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: ", Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownOption_OneLineError()
    {
        var result = await CliRunner.RunAsync(string.Empty, "rate", "--catalogue", "gptbots");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: ", Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TopUp_WithoutId_IsRefusedBeforeAnyRequest()
    {
        var result = await CliRunner.RunAsync(string.Empty, "topup", "acme", "5", "--server", "http://127.0.0.1:9", "--key", "tg_x_y");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--id", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LedgerRecord_PrintsTheApisSnakeCaseAndDecimalStrings()
    {
        var path = Path.Combine(Path.GetTempPath(), $"tollgate-cli-{Guid.NewGuid():N}.db");
        var store = new LedgerStore(new SqliteDialect(path), SystemClock.Instance, BuiltInCatalogs.Find);
        await store.MigrateAsync();
        await store.SaveTenantAsync(new TenantSettings("acme"));
        await store.TopUpAsync(new TopUp("acme", "r1", AccountKind.Recharge, "credits", 100m));
        const string Event = """{"id":"e1","tenant":"acme","time":"2025-03-01T10:00:00Z","type":"llm_text","model":"GPT-4.1-1M","usage":{"input_tokens":1000,"output_tokens":1000}}""";

        var result = await CliRunner.RunAsync(Event + "\n", "ledger", "record", "--sqlite", path);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var line = Assert.Single(result.Lines);
        Assert.StartsWith("""{"id":"e1","status":"charged","duplicate":false,"charge":{"total":"1.1","subtotal":"1.1","unit":"credits",""", line, StringComparison.Ordinal);
        Assert.Contains("\"unit_price\":\"0.22\"", line, StringComparison.Ordinal);
        Assert.Contains("\"amount\":\"1.1\"", line, StringComparison.Ordinal);
        Assert.DoesNotContain("eventId", line, StringComparison.Ordinal);
    }
}
