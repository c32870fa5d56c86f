using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using NodaTime;
using Tollgate.Client;
using Tollgate.Client.Contracts;
using Tollgate.Server.Hosting;

namespace Tollgate.Gateway.Tests;

/// <summary>
/// A real Tollgate server (Kestrel on a loopback port, SQLite or a fresh PostgreSQL schema) whose gateway routes
/// point at a <see cref="FakeUpstream"/>, with the test price book, a tenant "acme" funded with 1,000 credits and a
/// gateway key for it.
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";
    public const string ProviderKey = "sk-fake-provider-secret";
    public const string Tenant = "acme";

    private readonly WebApplication app;
    private readonly string folder;

    private GatewayHost(WebApplication app, FakeUpstream upstream, string operatorKey, string folder, TestClock clock)
    {
        this.app = app;
        Clock = clock;
        this.folder = folder;
        Upstream = upstream;
        Address = new Uri(app.Urls.First() + "/");
        OperatorKey = operatorKey;
        Operator = new TollgateClient(new HttpClient { BaseAddress = Address }, operatorKey);
    }

    public static TheoryData<string> Engines => [Sqlite, Postgres];

    public Uri Address { get; }

    public TestClock Clock { get; }

    public Tollgate.Storage.Ledger.LedgerStore Store => (Tollgate.Storage.Ledger.LedgerStore)app.Services.GetService(typeof(Tollgate.Storage.Ledger.LedgerStore))!;

    public Tollgate.Storage.Alerts.AlertStore Alerts => (Tollgate.Storage.Alerts.AlertStore)app.Services.GetService(typeof(Tollgate.Storage.Alerts.AlertStore))!;

    public FakeUpstream Upstream { get; }

    public string OperatorKey { get; }

    public TollgateClient Operator { get; }

    /// <summary>A gateway key of acme (channel api, no end user), made by <see cref="StartAsync"/>.</summary>
    public string Key { get; private set; } = string.Empty;

    /// <summary>The PostgreSQL connection string of the store (null on SQLite), for more nodes on the same database.</summary>
    public string? PostgresConnection { get; private set; }

    /// <summary>Another node (its own server and fake upstream) on this host's PostgreSQL store, sharing its tenant and keys.</summary>
    public async Task<GatewayHost> JoinAsync()
    {
        var node = await StartAsync(PostgresConnection ?? throw new InvalidOperationException("only PostgreSQL stores are shared"), OperatorKey);
        node.Key = Key;
        return node;
    }

    public static async Task<GatewayHost> StartAsync(string engine = Sqlite, decimal credits = 1000m, bool strict = false)
    {
        var host = await StartAsync(engine == Postgres ? await TestPostgres.NewSchemaAsync("gateway") : null, null);
        await host.Operator.CreatePriceBookAsync(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "gateway-test.yaml")));
        await host.Operator.CreateTenantAsync(new TenantRequest(Tenant, TimeZone: "UTC", PriceBook: "gateway-test", Strict: strict));
        if (credits > 0)
        {
            await host.Operator.TopUpAsync(Tenant, new TopUpRequest("recharge-1", TopUpKind.Recharge, "credits", credits));
        }

        host.Key = await host.CreateKeyAsync(new JsonObject { ["name"] = "app" });
        return host;
    }

    private static async Task<GatewayHost> StartAsync(string? postgres, string? operatorKey)
    {
        Environment.SetEnvironmentVariable("TOLLGATE_TEST_PROVIDER_KEY", ProviderKey);
        var upstream = await FakeUpstream.StartAsync();
        var folder = Path.Combine(Path.GetTempPath(), "tollgate-gateway-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var routes = Path.Combine(folder, "routes.yaml");
        await File.WriteAllTextAsync(routes, Routes(upstream.Address));
        var key = operatorKey ?? $"tg_op{Guid.NewGuid():N}"[..16] + "_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var options = new ServerOptions { Urls = "http://127.0.0.1:0", BootstrapKey = key, DataDirectory = folder, GatewayRoutes = routes, Postgres = postgres };

        var clock = new TestClock(Instant.FromUtc(2026, 3, 1, 0, 0));
        var app = await TollgateServer.BuildAsync(options, clock, TextWriter.Null);
        await app.StartAsync();
        return new GatewayHost(app, upstream, key, folder, clock) { PostgresConnection = postgres };
    }

    /// <summary>Creates a gateway key of acme through the API and returns its secret.</summary>
    public async Task<string> CreateKeyAsync(JsonObject request)
    {
        using var response = await Admin().PostAsJsonAsync($"v1/tenants/{Tenant}/gateway-keys", request);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["key"]!.GetValue<string>();
    }

    /// <summary>A plain client with the operator key, for the /v1 API.</summary>
    public HttpClient Admin() => new() { BaseAddress = Address, DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", OperatorKey) } };

    /// <summary>A plain client with a gateway key, for requests the SDKs would not send (an Idempotency-Key, a cut stream).</summary>
    public HttpClient Gateway(string? key = null) => new() { BaseAddress = Address, DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", key ?? Key) } };

    public async Task<decimal> AvailableAsync() => (await Operator.GetBalancesAsync(Tenant)).Accounts.Where(a => a.Unit == "credits").Sum(a => a.Available);

    public async Task<decimal> HeldAsync() => (await Operator.GetBalancesAsync(Tenant)).Accounts.Sum(a => a.Held);

    private static string Routes(Uri fake)
    {
        string Route(string name, string disconnect, params string[] upstreams) => Priced(name, "test-chat", "llm_text", disconnect, upstreams);

        string Priced(string name, string item, string type, string disconnect, params string[] upstreams) =>
            $"  - model: {name}\n    price_item: {item}\n    type: {type}\n    max_output_tokens: 1000\n    on_disconnect: {disconnect}\n    upstreams:\n" +
            string.Concat(upstreams.Select(u => u.StartsWith("http", StringComparison.Ordinal)
                ? $"      - {{ kind: openai, base_url: \"{u}\", model: ok }}\n"
                : $"      - {{ kind: {(u.StartsWith("claude", StringComparison.Ordinal) ? "anthropic" : "openai")}, base_url: \"{fake}\", model: {u}, api_key_env: TOLLGATE_TEST_PROVIDER_KEY }}\n"));

        return "routes:\n"
            + Route("test-chat", "finish", "ok")
            + Route("no-usage", "finish", "no-usage")
            + Route("slow-finish", "finish", "slow")
            + Route("slow-cut", "cut", "slow")
            + Route("broken", "finish", "fail-500")
            + Route("rejected", "finish", "bad-400")
            + Route("mid-fail", "finish", "mid-fail")
            + Route("fail-early", "finish", "fail-early")
            + Route("failover", "finish", "http://127.0.0.1:9/v1", "fail-500", "ok")
            + Route("fill", "finish", "fill")
            + Route("claude", "finish", "claude-ok")
            + Route("claude-cut", "cut", "claude-slow")
            + Priced("embed", "test-embed", "embedding", "finish", "embed-ok")
            + Priced("image", "test-image", "image_generation", "finish", "image-ok")
            + Priced("tts", "test-tts", "tts", "finish", "tts-ok");
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        await Upstream.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow shutdown; the temp folder is cleaned by the OS.
        }
    }
}
