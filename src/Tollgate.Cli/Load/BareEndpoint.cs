using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Tollgate.Client;
using Tollgate.Client.Contracts;

namespace Tollgate.Cli.Load;

/// <summary>
/// The bare endpoint of <c>bench --mode api-compare</c>: ASP.NET Core on a loopback port, taking the same requests as
/// Tollgate's <c>POST /v1/events</c>, reservations and settlements, parsing the same JSON into the API's contracts and
/// answering a small JSON, with no auth, rating or storage: what HTTP and JSON alone cost on this machine.
/// </summary>
internal sealed class BareEndpoint(WebApplication app) : LoopbackServer(app)
{
    public Uri Address => Root;

    public static async Task<BareEndpoint> StartAsync() => new(await StartAsync(app =>
    {
        app.MapPost("/v1/events", (HttpContext context) => AnswerAsync<UsageEvent>(context, e => new { id = e.Id, status = "charged", duplicate = false }));
        app.MapPost("/v1/tenants/{tenant}/reservations", (HttpContext context) => AnswerAsync<ReservationRequest>(context, r => new { id = r.Id, status = "held", unit = r.Unit, amount = r.Amount }));
        app.MapPost("/v1/tenants/{tenant}/reservations/{id}/settle", (HttpContext context) => AnswerAsync<SettleRequest>(context, s => new { id = s.Event.Id, status = "charged", duplicate = false }));
    }));

    private static async Task AnswerAsync<T>(HttpContext context, Func<T, object> answer)
    {
        var body = await JsonSerializer.DeserializeAsync<T>(context.Request.Body, TollgateJson.Options);
        await context.Response.WriteAsJsonAsync(answer(body!), TollgateJson.Options);
    }
}
