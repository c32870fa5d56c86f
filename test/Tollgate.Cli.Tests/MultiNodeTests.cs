using System.Net;
using Tollgate.Client;
using Tollgate.Client.Contracts;

namespace Tollgate.Cli.Tests;

/// <summary>
/// Three Tollgate processes on one PostgreSQL, every client hammering one hot tenant whose funds cover only part
/// of the traffic, with the same ids sent to different nodes: no balance goes below its floor, nothing is charged
/// twice, nothing acknowledged is lost, and the ledger checks clean.
/// </summary>
public sealed class MultiNodeTests
{
    private const int Events = 600;
    private const int Affordable = 200;

    [Fact]
    public async Task Three_nodes_on_one_postgres_share_a_hot_account_without_overdraw_or_double_charge()
    {
        var postgres = await TestPostgres.NewSchemaAsync("nodes");
        var key = "tg_nodes_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await using var first = await ServeProcess.StartAsync(postgres, key);
        await using var second = await ServeProcess.StartAsync(postgres, key);
        await using var third = await ServeProcess.StartAsync(postgres, key);
        var clients = new[] { first, second, third }.Select(n => new TollgateClient(new Uri(n.Url + "/"), key)).ToArray();

        // GPT-4.1-1M, 1,000 in and 1,000 out: 1.1 credits; funds for exactly 200 of them, strict.
        await clients[0].CreateTenantAsync(new TenantRequest("hot", Strict: true));
        await clients[1].TopUpAsync("hot", new TopUpRequest("funds", TopUpKind.Recharge, "credits", Affordable * 1.1m));

        // 48 clients at once, 16 per node; each event id is sent twice, to two different nodes.
        using var gate = new SemaphoreSlim(48);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, Events * 2).Select(i => Task.Run(async () =>
        {
            var id = $"e{i % Events}";
            var e = new UsageEvent(id, "hot", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), "llm_text", "GPT-4.1-1M", new Dictionary<string, decimal> { ["input_tokens"] = 1000, ["output_tokens"] = 1000 });
            await gate.WaitAsync();
            try
            {
                var r = await clients[i % 3].RecordAsync(e);
                return (id, r.Duplicate ? "duplicate" : r.Status);
            }
            catch (TollgateException ex) when (ex.Status == HttpStatusCode.PaymentRequired)
            {
                return (id, "refused");
            }
            finally
            {
                gate.Release();
            }
        })));

        var charged = outcomes.Where(o => o.Item2 == "charged").Select(o => o.id).ToList();
        Assert.Equal(Affordable, charged.Count);
        Assert.Equal(charged.Count, charged.Distinct().Count());
        var balances = await clients[2].GetBalancesAsync("hot");
        var account = Assert.Single(balances.Accounts);
        Assert.Equal((0m, 0m, 0m), (account.Posted, account.Held, account.Available));
        Assert.DoesNotContain(balances.Arrears, a => a.Value != 0m);

        // Every charged event reads back charged from any node; a refused one was recorded as rejected, never charged.
        foreach (var id in charged.Take(20))
        {
            Assert.Equal("charged", (await clients[1].GetEventAsync("hot", id)).Status);
        }

        var check = await CliRunner.RunAsync("", ["ledger", "check", "--postgres", postgres]);
        Assert.True(check.ExitCode == 0, check.Stdout + check.Stderr);
    }
}
