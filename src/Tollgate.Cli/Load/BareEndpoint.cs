using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Tollgate.Client;
using Tollgate.Client.Contracts;

namespace Tollgate.Cli.Load;

/// <summary>
/// The bare endpoint of <c>bench --mode api-compare</c>: ASP.NET Core on a loopback port, taking the same requests as
/// Tollgate's <c>POST /v1/events</c>, reservations and settlements, parsing the same JSON into the API's contracts and
/// answering a small JSON, with no auth, rating or storage: what HTTP and JSON alone cost on this machine.
/// </summary>
internal sealed class BareEndpoint : IAsyncDisposable
{
    private readonly WebApplication app;

    private BareEndpoint(WebApplication app, Uri address) => (this.app, Address) = (app, address);

    public Uri Address { get; }

    public static async Task<BareEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/v1/events", (HttpContext context) => AnswerAsync<UsageEvent>(context, e => new { id = e.Id, status = "charged", duplicate = false }));
        app.MapPost("/v1/tenants/{tenant}/reservations", (HttpContext context) => AnswerAsync<ReservationRequest>(context, r => new { id = r.Id, status = "held", unit = r.Unit, amount = r.Amount }));
        app.MapPost("/v1/tenants/{tenant}/reservations/{id}/settle", (HttpContext context) => AnswerAsync<SettleRequest>(context, s => new { id = s.Event.Id, status = "charged", duplicate = false }));
        await app.StartAsync();
        return new BareEndpoint(app, new Uri(app.Urls.First() + "/"));
    }

    private static async Task AnswerAsync<T>(HttpContext context, Func<T, object> answer)
    {
        var body = await JsonSerializer.DeserializeAsync<T>(context.Request.Body, TollgateJson.Options);
        await context.Response.WriteAsJsonAsync(answer(body!), TollgateJson.Options);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
