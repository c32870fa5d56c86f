using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Tollgate.Gateway.Charging;
using Tollgate.Gateway.Routes;
using Tollgate.Gateway.Upstreams;

namespace Tollgate.Gateway;

// Reserving a call, calling its upstreams, and what a failure on the way releases.
public abstract partial class ProtocolHandler
{
    private async Task CallAsync(HttpContext context, GatewayCall call, JsonObject body)
    {
        var reservation = await services.Charger.ReserveAsync(call, context.RequestAborted);
        if (!reservation.IsHeld)
        {
            var error = reservation.Status switch
            {
                Reservation.InsufficientFunds or Reservation.BudgetExceeded => ProtocolError.InsufficientFunds,
                Reservation.InFlight or Reservation.AlreadyCharged => ProtocolError.Conflict,
                _ => ProtocolError.BadRequest,
            };
            context.Response.Headers[EventIdHeader] = call.EventId;
            await WriteErrorAsync(context, error, reservation.Message ?? reservation.Status);
            return;
        }

        context.Response.Headers[EventIdHeader] = call.EventId;
        if (reservation.MaxOutput is { } cap)
        {
            // The caller could not afford the output it asked for: the upstream is told the most it can afford.
            CapOutput(body, cap);
        }

        try
        {
            await ForwardAsync(context, call, body, reservation);
        }
        catch
        {
            // A failure of the gateway itself (not of the upstream): nothing may stay held for a call that is over.
            await services.Charger.ReleaseAsync(call, reservation);
            throw;
        }
    }

    private async Task ForwardAsync(HttpContext context, GatewayCall call, JsonObject body, Reservation reservation)
    {
        var stream = Streams(body);

        // Under `finish` the upstream is read to its end whoever leaves; under `cut` the client's departure cancels it.
        using var timeout = new CancellationTokenSource(services.Options.UpstreamTimeout);
        using var upstreamCancel = call.Route.OnDisconnect == DisconnectPolicy.Cut
            ? CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, context.RequestAborted)
            : CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        UpstreamResponse answer;
        try
        {
            answer = await services.Upstreams.SendAsync(call.Route.Speaking(Kind), u => BuildUpstreamRequest(u, body, context.Request, stream), upstreamCancel.Token);
        }
        catch (OperationCanceledException) when (call.Route.OnDisconnect == DisconnectPolicy.Cut && context.RequestAborted.IsCancellationRequested)
        {
            // `cut` and the client left before any answer: the input was sent, so it is billed.
            await services.Charger.SettleAsync(call, reservation, CallUsage.Counted(string.Empty));
            return;
        }
        catch (OperationCanceledException)
        {
            await services.Charger.ReleaseAsync(call, reservation);
            await WriteErrorAsync(context, ProtocolError.UpstreamTimeout, "the upstream did not answer in time");
            return;
        }

        using (answer)
        {
            if (answer.Response is not { } response)
            {
                await services.Charger.ReleaseAsync(call, reservation);
                await WriteErrorAsync(context, answer.TimedOut ? ProtocolError.UpstreamTimeout : ProtocolError.UpstreamFailed, answer.Failure ?? "no upstream answered");
                return;
            }

            if (!response.IsSuccessStatusCode)
            {
                // The provider refused the call (a bad request, its own rate limit): nothing was produced, nothing is charged.
                await services.Charger.ReleaseAsync(call, reservation);
                await RelayAsIsAsync(context, response);
                return;
            }

            if (stream)
            {
                await StreamAsync(context, call, reservation, response, NewStreamMeter(body), upstreamCancel.Token);
            }
            else
            {
                await AnswerAsync(context, call, body, reservation, response, upstreamCancel.Token);
            }
        }
    }

    private static async Task RelayAsIsAsync(HttpContext context, HttpResponseMessage response)
    {
        context.Response.StatusCode = (int)response.StatusCode;
        context.Response.ContentType = response.Content.Headers.ContentType?.ToString() ?? "application/json";
        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
}
