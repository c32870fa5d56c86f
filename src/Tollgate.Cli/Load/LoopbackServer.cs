using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Tollgate.Cli.Load;

/// <summary>A small ASP.NET Core app on a free loopback port, without logging: the comparing benchmarks' other targets.</summary>
internal abstract class LoopbackServer(WebApplication app) : IAsyncDisposable
{
    /// <summary>The app's address, ending in <c>/</c>.</summary>
    protected Uri Root { get; } = new(app.Urls.First() + "/");

    /// <summary>Starts an app with the endpoints <paramref name="map"/> adds.</summary>
    protected static async Task<WebApplication> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
