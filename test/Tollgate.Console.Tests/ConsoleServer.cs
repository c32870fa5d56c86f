using Microsoft.AspNetCore.Builder;
using NodaTime;
using Tollgate.Client;
using Tollgate.Client.Contracts;
using Tollgate.Server.Hosting;

namespace Tollgate.Console.Tests;

/// <summary>
/// A real Tollgate server (API and console on one port) on a free loopback port and a fresh SQLite folder, with a
/// known operator key and a test clock, as the server tests start it.
/// </summary>
public sealed class ConsoleServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly string folder;

    private ConsoleServer(WebApplication app, Uri address, string operatorKey, TestClock clock, string folder)
    {
        this.app = app;
        this.folder = folder;
        Address = address;
        OperatorKey = operatorKey;
        Clock = clock;
        Operator = new TollgateClient(new HttpClient { BaseAddress = address }, operatorKey);
    }

    public Uri Address { get; }

    public string OperatorKey { get; }

    public TestClock Clock { get; }

    public TollgateClient Operator { get; }

    public static async Task<ConsoleServer> StartAsync()
    {
        var key = "tg_op" + Guid.NewGuid().ToString("N")[..11] + "_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var folder = Path.Combine(Path.GetTempPath(), "tollgate-console-" + Guid.NewGuid().ToString("N"));
        var options = new ServerOptions { Urls = "http://127.0.0.1:0", BootstrapKey = key, DataDirectory = folder };
        var clock = new TestClock(Instant.FromUtc(2026, 1, 1, 0, 0));
        var app = await TollgateServer.BuildAsync(options, clock, TextWriter.Null);
        await app.StartAsync();
        return new ConsoleServer(app, new Uri(app.Urls.First() + "/"), key, clock, folder);
    }

    public string Url(string path) => new Uri(Address, path.TrimStart('/')).ToString();

    /// <summary>A tenant in Asia/Shanghai with a recharge of <paramref name="credits"/> credits and a tenant key; returns the key's secret.</summary>
    public async Task<string> TenantAsync(string id, decimal credits = 1000m)
    {
        await Operator.CreateTenantAsync(new TenantRequest(id, TimeZone: "Asia/Shanghai"));
        if (credits > 0)
        {
            await Operator.TopUpAsync(id, new TopUpRequest($"{id}-recharge", TopUpKind.Recharge, "credits", credits));
        }

        var created = await Operator.CreateKeyAsync(new KeyRequest($"{id} console", id, CanRecord: true));
        return created.Secret;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
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
