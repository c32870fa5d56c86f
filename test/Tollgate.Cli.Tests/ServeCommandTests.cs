using System.Text.Json;

namespace Tollgate.Cli.Tests;

/// <summary><c>tollgate serve</c> and the operator commands (<c>tenants</c>, <c>topup</c>, <c>keys</c>) against it, as processes.</summary>
public sealed class ServeCommandTests
{
    [Fact]
    public async Task Operators_manage_tenants_top_ups_and_keys_without_curl()
    {
        await using var server = await ServeProcess.StartAsync();
        string[] api = ["--server", server.Url, "--key", server.Key];

        var created = await CliRunner.RunAsync("", ["tenants", "create", "acme", "--time-zone", "Asia/Shanghai", "--plan", "premium", .. api]);
        Assert.True(created.ExitCode == 0, created.Stderr);
        Assert.Equal("Asia/Shanghai", JsonDocument.Parse(created.Stdout).RootElement.GetProperty("time_zone").GetString());

        var updated = await CliRunner.RunAsync("", ["tenants", "update", "acme", "--strict", "true", .. api]);
        Assert.True(JsonDocument.Parse(updated.Stdout).RootElement.GetProperty("strict").GetBoolean(), updated.Stderr);

        var topUp = await CliRunner.RunAsync("", ["topup", "acme", "250.5", "--id", "cli-1", "--paid", "2.5", .. api]);
        Assert.True(topUp.ExitCode == 0, topUp.Stderr);
        var again = await CliRunner.RunAsync("", ["topup", "acme", "250.5", "--id", "cli-1", "--paid", "2.5", .. api]);
        Assert.True(JsonDocument.Parse(again.Stdout).RootElement.GetProperty("duplicate").GetBoolean());

        var show = await CliRunner.RunAsync("", ["tenants", "show", "acme", .. api]);
        Assert.Contains("250.5", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"cumulative_recharge\": \"2.5\"", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("acme", (await CliRunner.RunAsync("", ["tenants", "list", .. api])).Stdout, StringComparison.Ordinal);

        var key = await CliRunner.RunAsync("", ["keys", "create", "--name", "dashboard", "--tenant", "acme", .. api]);
        var secret = key.Lines[^1].Trim();
        Assert.StartsWith("tg_", secret, StringComparison.Ordinal);
        var id = secret.Split('_')[1];
        Assert.Contains("dashboard", (await CliRunner.RunAsync("", ["keys", "list", .. api])).Stdout, StringComparison.Ordinal);
        var tenantView = await CliRunner.RunAsync("", ["tenants", "show", "acme", "--server", server.Url, "--key", secret]);
        Assert.True(tenantView.ExitCode == 0, tenantView.Stderr);
        Assert.Equal(0, (await CliRunner.RunAsync("", ["keys", "revoke", id, .. api])).ExitCode);
        var revoked = await CliRunner.RunAsync("", ["tenants", "show", "acme", "--server", server.Url, "--key", secret]);
        Assert.Equal(1, revoked.ExitCode);
        Assert.Contains("401 unauthorized", revoked.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_WebhooksAllowPrivateFlag_LetsWebhooksReachLoopbackWhichIsRefusedByDefault()
    {
        var servers = await Task.WhenAll(ServeProcess.StartAsync(), ServeProcess.StartAsync(flags: ["--webhooks-allow-private"]));
        await using var closed = servers[0];
        await using var open = servers[1];

        // Each server's webhook POSTs to its own /healthz on 127.0.0.1, open to GET only: a POST is refused (401).
        var errors = await Task.WhenAll(servers.Select(LastErrorOfAWebhookToItselfAsync));

        Assert.Equal(["connection refused by policy", "http 401"], errors.Select(e => e ?? "(none)"));
    }

    private static async Task<string?> LastErrorOfAWebhookToItselfAsync(ServeProcess server)
    {
        using var http = new HttpClient { BaseAddress = new Uri(server.Url + "/") };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", server.Key);
        (await http.PostAsync("v1/tenants", Json("""{"id":"acme"}"""))).EnsureSuccessStatusCode();
        using var created = await http.PostAsync("v1/webhooks", Json($$"""{"url":"{{server.Url}}/healthz","tenant":"acme"}"""));
        var hook = JsonDocument.Parse(await created.EnsureSuccessStatusCode().Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        (await http.PatchAsync("v1/tenants/acme", Json("""{"low_balance":{"credits":"1"}}"""))).EnsureSuccessStatusCode();
        for (var waited = 0; waited < 30_000; waited += 200)
        {
            var deliveries = JsonDocument.Parse(await http.GetStringAsync($"v1/webhooks/{hook}/deliveries")).RootElement.GetProperty("deliveries");
            if (deliveries.GetArrayLength() == 1 && deliveries[0].GetProperty("attempts").GetInt64() > 0)
            {
                return deliveries[0].GetProperty("last_error").GetString();
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("the webhook was not attempted within 30 s");
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    [Fact]
    public async Task Bench_and_replay_measure_a_running_server()
    {
        await using var server = await ServeProcess.StartAsync();
        foreach (var mode in new[] { "single", "reserve-settle", "batch" })
        {
            var bench = await CliRunner.RunAsync("", ["bench", "--mode", mode, "--requests", "20", "--batch-size", "10", "--server", server.Url, "--key", server.Key]);
            Assert.True(bench.ExitCode == 0, bench.Stderr);
            Assert.Matches(@"p50=\d+\.\d{3}ms p90=.* p99=.* errors=0", bench.Stdout);
        }

        var replay = await CliRunner.RunAsync("", ["replay", "--trace", RepoPaths.AzureTrace, "--limit", "300", "--mode", "single", "--shuffle", "--duplicates", "0.5", "--server", server.Url, "--key", server.Key]);
        Assert.True(replay.ExitCode == 0, replay.Stdout + replay.Stderr);
        Assert.Contains("check: ok, 10 tenants, 300 events", replay.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operator_commands_report_the_problem_and_exit_1()
    {
        await using var server = await ServeProcess.StartAsync();
        var bad = await CliRunner.RunAsync("", ["tenants", "create", "bad id!", "--server", server.Url, "--key", server.Key]);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("400 invalid_field (id)", bad.Stderr, StringComparison.Ordinal);
        var zone = await CliRunner.RunAsync("", ["tenants", "create", "t", "--time-zone", "Mars/Base", "--server", server.Url, "--key", server.Key]);
        Assert.Contains("(time_zone)", zone.Stderr, StringComparison.Ordinal);
        var noKey = await CliRunner.RunAsync("", ["tenants", "list", "--server", server.Url, "--key", "tg_wrong_key"]);
        Assert.Equal(1, noKey.ExitCode);
    }
}
