using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Tollgate.Cli.Tests;

/// <summary>
/// PostgreSQL stopped with <c>pg_ctl -m immediate</c> in the middle of a replay and started again: the server
/// answers 503 while it is gone (never 500), recovers by itself, and loses nothing acknowledged (the replay's
/// totals equal the offline rating). Runs on a private cluster, so the other tests' server is not disturbed.
/// </summary>
public sealed class PostgresRestartTests
{
    [Fact]
    public async Task The_server_reports_503_while_postgres_is_down_and_recovers_without_loss()
    {
        await using var cluster = await PrivateCluster.StartAsync();
        var key = "tg_pgrestart_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await using var server = await ServeProcess.StartAsync(cluster.ConnectionString, key);
        var replay = CliRunner.RunAsync(
            "",
            ["replay", "--server", server.Url, "--key", key, "--trace", RepoPaths.AzureTrace, "--limit", "4000", "--mode", "batch", "--batch-size", "40",
             "--concurrency", "3", "--seed", "11", "--pace", "120"],
            TimeSpan.FromMinutes(5));

        // Stop PostgreSQL only once the replay is sending (the replayer's start-up is slow on a loaded machine).
        await WaitForChargedEventsAsync(server.Url, TimeSpan.FromSeconds(60));
        await Task.Delay(500);
        await cluster.StopImmediateAsync();
        using (var http = new HttpClient { BaseAddress = new Uri(server.Url) })
        {
            using var ready = await http.GetAsync("readyz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        await Task.Delay(1500);
        await cluster.StartAgainAsync();

        var result = await replay;
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Contains("check: ok", result.Stdout, StringComparison.Ordinal);
        Assert.True(result.Stdout.Contains("retried_503", StringComparison.Ordinal), result.Stdout);
        Assert.DoesNotContain("retried_500", result.Stdout, StringComparison.Ordinal);
        var check = await CliRunner.RunAsync("", ["ledger", "check", "--postgres", cluster.ConnectionString]);
        Assert.True(check.ExitCode == 0, check.Stdout + check.Stderr);
    }

    private static async Task WaitForChargedEventsAsync(string url, TimeSpan limit)
    {
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!(await http.GetStringAsync("metrics")).Contains("tollgate_events_total{status=\"charged\"", StringComparison.Ordinal))
        {
            Assert.True(watch.Elapsed < limit, "the replay recorded nothing");
            await Task.Delay(100);
        }
    }

    /// <summary>A throwaway PostgreSQL cluster of Debian's package on a free port, run as the postgres user when root.</summary>
    private sealed class PrivateCluster : IAsyncDisposable
    {
        private readonly string bin;
        private readonly string folder;
        private readonly int port;

        private PrivateCluster(string bin, string folder, int port)
        {
            this.bin = bin;
            this.folder = folder;
            this.port = port;
        }

        public string ConnectionString => $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Timeout=3";

        public static async Task<PrivateCluster> StartAsync()
        {
            var bin = Environment.GetEnvironmentVariable("TOLLGATE_TEST_PG_BIN")
                ?? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Order(StringComparer.Ordinal).Last();
            var folder = Path.Combine(Path.GetTempPath(), "tollgate-pgrestart-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            await ShellAsync($"chmod 777 {folder}");
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            var cluster = new PrivateCluster(bin, folder, port);
            await cluster.AsPostgresAsync($"{bin}/initdb -D {folder}/data -A trust -U postgres");
            await cluster.StartAgainAsync();
            return cluster;
        }

        public Task StopImmediateAsync() => AsPostgresAsync($"{bin}/pg_ctl -D {folder}/data -m immediate stop");

        public Task StartAgainAsync() => AsPostgresAsync(
            $"{bin}/pg_ctl -D {folder}/data -o '-p {port.ToString(CultureInfo.InvariantCulture)} -k {folder} -c listen_addresses=127.0.0.1' -l {folder}/log -w start");

        public async ValueTask DisposeAsync()
        {
            await AsPostgresAsync($"{bin}/pg_ctl -D {folder}/data -m immediate stop || true");
            Directory.Delete(folder, recursive: true);
        }

        private Task AsPostgresAsync(string command) =>
            ShellAsync(Environment.UserName == "root" ? $"chown -R postgres {folder} && su postgres -c \"{command}\"" : command);

        private static async Task ShellAsync(string command)
        {
            var result = await CliRunner.BashAsync(command);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"{command}: exit {result.ExitCode}: {result.Stdout} {result.Stderr}");
            }
        }
    }
}
