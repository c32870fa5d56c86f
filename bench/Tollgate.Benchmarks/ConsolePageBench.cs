using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using NodaTime;
using Tollgate.Client;
using Tollgate.Client.Contracts;
using Tollgate.Core.Tenants;
using Tollgate.Server.Hosting;
using Tollgate.Storage.Ledger;
using Tollgate.Storage.Sql;
using Tollgate.Storage.Usage;
using CoreEvent = Tollgate.Core.Events.UsageEvent;

namespace Tollgate.Benchmarks;

/// <summary>
/// Server time of each console page for one tenant with a month of events (issue 14), on SQLite through the real
/// server: one event is recorded through the API, then its stored row is copied into the events table in bulk (ids,
/// times, models and channels varied) and the rollups those events make are written with the ledger's own
/// UsageRollup, as UsageQueryBenchmarks does. Then a signed-in HTTP client asks for each page and the median and p95
/// of the wall time of each GET on loopback are printed. The data folder is kept and reused for the same size.
/// Usage: dotnet run -c Release --project bench/Tollgate.Benchmarks -- console [events] [requests]
/// </summary>
internal static partial class ConsolePageBench
{
    private const string Tenant = "big";

    public static async Task RunAsync(int events, int requests)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"tollgate-console-bench-{events}");
        var fresh = !File.Exists(Path.Combine(folder, "tollgate.db"));
        var key = "tg_op" + "bench000000" + "_" + new string('a', 64);
        var now = SystemClock.Instance.GetCurrentInstant();
        var monthStart = now - Duration.FromDays(30);
        var app = await TollgateServer.BuildAsync(new ServerOptions { Urls = "http://127.0.0.1:0", BootstrapKey = key, DataDirectory = folder }, SystemClock.Instance, TextWriter.Null);
        await app.StartAsync();
        var address = new Uri(app.Urls.First() + "/");
        var admin = new TollgateClient(new HttpClient { BaseAddress = address }, key);
        var keyFile = Path.Combine(folder, "tenant-key.txt");
        if (fresh)
        {
            await admin.CreateTenantAsync(new TenantRequest(Tenant, TimeZone: "Asia/Shanghai"));
            await admin.TopUpAsync(Tenant, new TopUpRequest("recharge", TopUpKind.Recharge, "credits", 100_000_000m));
            await File.WriteAllTextAsync(keyFile, (await admin.CreateKeyAsync(new KeyRequest("bench console", Tenant))).Secret);
            await admin.RecordAsync(new UsageEvent("template", Tenant, monthStart.ToDateTimeOffset(), "llm_text", "GPT-4.1-1M",
                new Dictionary<string, decimal> { ["input_tokens"] = 1000, ["output_tokens"] = 500 }, Channel: "api"));
            var watch = Stopwatch.StartNew();
            await FillAsync(Path.Combine(folder, "tollgate.db"), events, monthStart);
            Console.WriteLine($"// wrote {events:N0} events and their rollups in {watch.Elapsed.TotalSeconds:0} s");
        }

        var client = await SignInAsync(address, await File.ReadAllTextAsync(keyFile));
        var today = now.InZone(DateTimeZoneProviders.Tzdb["Asia/Shanghai"]).Date;
        var from = today.PlusDays(-30).ToString("yyyy-MM-dd", null);
        var to = today.ToString("yyyy-MM-dd", null);
        string[] paths =
        [
            $"/tenants/{Tenant}",
            $"/tenants/{Tenant}/usage?bucket=day&by=model&from={from}&to={to}",
            $"/tenants/{Tenant}/usage?bucket=hour&by=channel&from={to}&to={to}",
            $"/tenants/{Tenant}/usage?bucket=day&by=subject&from={from}&to={to}",
            $"/tenants/{Tenant}/requests",
            $"/tenants/{Tenant}/requests?model=GPT-4o-128k&channel=web",
            $"/tenants/{Tenant}/requests/e{events / 2}",
            $"/tenants/{Tenant}/packs",
            $"/tenants/{Tenant}/pricing",
            $"/tenants/{Tenant}/bills",
        ];
        Console.WriteLine($"{events:N0} events over 30 days, SQLite, {requests} GETs per page after 2 warm-ups (ms, wall time on loopback):");
        Console.WriteLine("| page | median | p95 |");
        Console.WriteLine("| --- | --- | --- |");
        foreach (var path in paths)
        {
            var times = new List<double>();
            for (var i = 0; i < requests + 2; i++)
            {
                var watch = Stopwatch.StartNew();
                using var response = await client.GetAsync(path);
                var body = await response.Content.ReadAsStringAsync();
                if (i >= 2)
                {
                    times.Add(watch.Elapsed.TotalMilliseconds);
                }

                var empty = path.Contains("/requests", StringComparison.Ordinal) && !body.Contains("data-event=", StringComparison.Ordinal) && !body.Contains("Event e", StringComparison.Ordinal);
                if (response.StatusCode != HttpStatusCode.OK || body.Contains("id=\"key\"", StringComparison.Ordinal) || empty)
                {
                    throw new InvalidOperationException($"{path}: {(int)response.StatusCode}");
                }
            }

            times.Sort();
            Console.WriteLine($"| `{path}` | {times[times.Count / 2]:0.0} | {times[(int)Math.Ceiling(times.Count * 0.95) - 1]:0.0} |");
        }

        await app.StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>Signs in through the console's own form (antiforgery token and all) and returns a client holding the cookie.</summary>
    private static async Task<HttpClient> SignInAsync(Uri address, string secret)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = address };
        var form = await client.GetStringAsync("/signin");
        var token = Token().Match(form).Groups[1].Value;
        using var response = await client.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Key"] = secret, ["ReturnUrl"] = "/", ["_handler"] = "signin", ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
        }));
        if (response.StatusCode != HttpStatusCode.Redirect || !response.Headers.TryGetValues("Set-Cookie", out _))
        {
            throw new InvalidOperationException($"sign-in answered {(int)response.StatusCode}");
        }

        return client;
    }

    /// <summary>Copies the template event's row <paramref name="events"/> times and writes the matching rollups.</summary>
    private static async Task FillAsync(string path, int events, Instant monthStart)
    {
        string[] models = ["GPT-4.1-1M", "GPT-4o-128k", "GPT-4o-mini-128k", "GPT-4.1-mini-1M", "GPT-4.1-nano-1M"];
        string[] channels = ["api", "web", "wechat"];
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        string hash, result, body;
        using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT body_hash, result, body FROM events WHERE tenant_id = 'big' AND event_id = 'template'";
            using var reader = read.ExecuteReader();
            reader.Read();
            (hash, result, body) = (reader.GetString(0), reader.GetString(1), reader.GetString(2));
        }

        var dialect = new SqliteDialect(path);
        var store = new LedgerStore(dialect, SystemClock.Instance, _ => null);
        var tenant = (await store.GetTenantAsync(Tenant))!;
        var stored = System.Text.Json.JsonSerializer.Deserialize<RecordResult>(result, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
        var rollup = new UsageRollup();
        var step = Duration.FromDays(30) / events;
        var random = new Random(42);
        const int chunk = 200_000;
        for (var start = 0; start < events; start += chunk)
        {
            using var tx = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = "INSERT INTO events (tenant_id, event_id, body_hash, status, event_time, recorded_at, result, body) VALUES ('big', $id, $hash, 'charged', $time, $time, $result, $body)";
            var id = insert.Parameters.Add("$id", SqliteType.Text);
            var time = insert.Parameters.Add("$time", SqliteType.Integer);
            insert.Parameters.AddWithValue("$hash", hash);
            insert.Parameters.AddWithValue("$result", result);
            var bodyParameter = insert.Parameters.Add("$body", SqliteType.Text);
            for (var i = start; i < Math.Min(events, start + chunk); i++)
            {
                var (model, channel, subject) = (models[random.Next(models.Length)], channels[random.Next(channels.Length)], $"user-{random.Next(50)}");
                var at = monthStart + step * i;
                id.Value = $"e{i}";
                time.Value = at.ToUnixTimeMilliseconds();
                bodyParameter.Value = body.Replace("GPT-4.1-1M", model, StringComparison.Ordinal).Replace("\"channel\":\"api\"", $"\"channel\":\"{channel}\",\"subject\":\"{subject}\"", StringComparison.Ordinal);
                insert.ExecuteNonQuery();
                rollup.Add(tenant, new CoreEvent($"e{i}", Tenant, subject, at.WithOffset(Offset.Zero), "llm_text", model, "platform", channel,
                    new Dictionary<string, string>(), new Dictionary<string, decimal> { ["input_tokens"] = 1000, ["output_tokens"] = 500 }), stored);
            }

            tx.Commit();
            await using var rollupConnection = await dialect.OpenAsync(default);
            await using var rollupTx = await dialect.BeginWriteAsync(rollupConnection, default);
            await rollup.FlushAsync(dialect, rollupConnection, rollupTx);
            await rollupTx.CommitAsync();
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
