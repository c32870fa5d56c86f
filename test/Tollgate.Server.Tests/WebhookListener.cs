using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Tollgate.Server.Tests;

/// <summary>
/// A local webhook receiver on loopback, IPv4 and IPv6 on one port: /fast answers 200, /slow answers after a minute
/// (or never, before the test ends), /redirect answers 302 to /fast. It keeps the paths it was asked for.
/// </summary>
internal sealed class WebhookListener : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<string> requests = new();

    private WebhookListener(WebApplication app, int port)
    {
        this.app = app;
        Port = port;
    }

    public int Port { get; }

    public IReadOnlyList<string> Requests => [.. requests];

    public string Url(string path, string host = "127.0.0.1") => $"http://{host}:{Port}{path}";

    public static async Task<WebhookListener> StartAsync()
    {
        var port = FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}", $"http://[::1]:{port}");
        var app = builder.Build();
        var listener = new WebhookListener(app, port);
        app.Use(async (context, next) =>
        {
            listener.requests.Enqueue(context.Request.Path);
            await next(context);
        });
        app.MapPost("/fast", () => Results.Ok());
        app.MapPost("/slow", async (HttpContext context) =>
        {
            await Task.Delay(TimeSpan.FromMinutes(1), context.RequestAborted);
            return Results.Ok();
        });
        app.MapPost("/redirect", () => Results.Redirect("/fast"));
        await app.StartAsync();
        return listener;
    }

    public int Count(string path) => requests.Count(r => r == path);

    public async Task WaitForAsync(string path, int count, TimeSpan within)
    {
        var until = DateTime.UtcNow + within;
        while (Count(path) < count)
        {
            Assert.True(DateTime.UtcNow < until, $"{path} got {Count(path)} requests, not {count}, within {within}");
            await Task.Delay(25);
        }
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        socket.Start();
        return ((System.Net.IPEndPoint)socket.LocalEndpoint).Port;
    }
}
