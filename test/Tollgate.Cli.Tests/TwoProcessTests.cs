using System.Text;
using NodaTime;
using Tollgate.Core.Catalogs;
using Tollgate.Core.Funding;
using Tollgate.Core.Tenants;
using Tollgate.Storage.Ledger;
using Tollgate.Storage.Sql;

namespace Tollgate.Cli.Tests;

/// <summary>Two real tollgate processes on one PostgreSQL, racing for one account of limited funds.</summary>
public sealed class TwoProcessTests
{
    [Fact]
    public async Task LedgerRecord_TwoProcessesOnePostgres_NeverOverdrawOrDoubleCharge()
    {
        var scoped = await TestPostgres.NewSchemaAsync("two");
        var store = new LedgerStore(new PostgresDialect(scoped), SystemClock.Instance, BuiltInCatalogs.Find);
        await store.MigrateAsync();
        await store.SaveTenantAsync(new TenantSettings("acme", PriceBook: "coze-credits", Strict: true));
        await store.TopUpAsync(new TopUp("acme", "r1", AccountKind.Recharge, "credits", 35m)); // ten GPT-4o (32k) calls at 3.5

        // Each process gets 40 events; the first 20 of each are the same ids (delivered to both nodes).
        static string Events(string prefix) => string.Join('\n', Enumerable.Range(0, 40).Select(i =>
            $$$"""{"id":"{{{(i < 20 ? "shared" : prefix)}}}-{{{i}}}","tenant":"acme","time":"2025-03-01T10:00:00Z","type":"llm_text","model":"GPT-4o (32k)","channel":"editor","usage":{"calls":1}}""")) + "\n";

        var runs = await Task.WhenAll(
            CliRunner.RunAsync(Events("a"), "ledger", "record", "--postgres", scoped, "--batch", "1"),
            CliRunner.RunAsync(Events("b"), "ledger", "record", "--postgres", scoped, "--batch", "1"));

        var charged = runs.SelectMany(r => r.Lines).Where(l => l.Contains("\"status\":\"charged\"", StringComparison.Ordinal) && !l.Contains("\"duplicate\":true", StringComparison.Ordinal)).ToList();
        Assert.Equal(10, charged.Count);
        Assert.Equal(80, runs.Sum(r => r.Lines.Length));
        var recharge = (await store.GetBalancesAsync("acme")).Single(b => b.Kind == AccountKinds.Recharge);
        Assert.Equal(0m, recharge.Posted);
        Assert.True((await store.CheckAsync()).Clean);
    }
}
