using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using NodaTime;
using Tollgate.Client;
using Tollgate.Server.Hosting;
using Tollgate.Storage.Ledger;
using Tollgate.Testing;

namespace Tollgate.Server.Tests;

/// <summary>
/// A real Tollgate server on a free loopback port (Kestrel, real HTTP), on a fresh SQLite folder or a fresh
/// PostgreSQL schema, with a known operator key and a test clock.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    private readonly WebApplication app;
    private readonly string? folder;

    private TestServer(WebApplication app, Uri address, string operatorKey, TestClock clock, string? folder)
    {
        this.app = app;
        this.folder = folder;
        Address = address;
        OperatorKey = operatorKey;
        Clock = clock;
        Operator = new TollgateClient(new HttpClient { BaseAddress = address }, operatorKey);
    }

    public static TheoryData<string> Engines => [Sqlite, Postgres];

    public Uri Address { get; }

    public string OperatorKey { get; }

    public TestClock Clock { get; }

    public TollgateClient Operator { get; }

    public LedgerStore Store => app.Services.GetService(typeof(LedgerStore)) as LedgerStore ?? throw new InvalidOperationException();

    /// <summary>The group commit of single events and small batches.</summary>
    public RecordQueue Records => app.Services.GetService(typeof(RecordQueue)) as RecordQueue ?? throw new InvalidOperationException();

    /// <summary>Every endpoint the application maps, as routing sees them: a test that walks these misses none.</summary>
    public IReadOnlyList<Microsoft.AspNetCore.Routing.RouteEndpoint> Endpoints =>
        [.. ((Microsoft.AspNetCore.Routing.EndpointDataSource)app.Services.GetService(typeof(Microsoft.AspNetCore.Routing.EndpointDataSource))!).Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()];

    public static async Task<TestServer> StartAsync(string engine = Sqlite, Func<ServerOptions, ServerOptions>? configure = null)
    {
        var key = $"tg_op{Guid.NewGuid():N}"[..16] + "_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        string? folder = null;
        var options = new ServerOptions { Urls = "http://127.0.0.1:0", BootstrapKey = key, SweepInterval = TimeSpan.FromMilliseconds(200) };
        if (engine == Postgres)
        {
            options = options with { Postgres = await TestPostgres.NewSchemaAsync("server") };
        }
        else
        {
            folder = Path.Combine(Path.GetTempPath(), "tollgate-server-" + Guid.NewGuid().ToString("N"));
            options = options with { DataDirectory = folder };
        }

        options = configure?.Invoke(options) ?? options;
        var clock = new TestClock(Instant.FromUtc(2026, 1, 1, 0, 0));
        var app = await TollgateServer.BuildAsync(options, clock, TextWriter.Null);
        await app.StartAsync();
        return new TestServer(app, new Uri(app.Urls.First() + "/"), key, clock, folder);
    }

    public TollgateClient ClientFor(string key) => new(new HttpClient { BaseAddress = Address }, key);

    /// <summary>A plain HttpClient with a key (or none), for requests the typed client would never send.</summary>
    public HttpClient Raw(string? key = null)
    {
        var http = new HttpClient { BaseAddress = Address };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return http;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        if (folder is not null)
        {
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
}
