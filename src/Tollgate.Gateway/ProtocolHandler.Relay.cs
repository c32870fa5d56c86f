using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Tollgate.Gateway.Charging;
using Tollgate.Gateway.Routes;
using Tollgate.Gateway.Upstreams;

namespace Tollgate.Gateway;

public abstract partial class ProtocolHandler
{
    /// <summary>A non-streamed answer: read it whole, settle its usage, then give it to the client unchanged.</summary>
    private async Task AnswerAsync(HttpContext context, GatewayCall call, JsonObject request, Reservation reservation, HttpResponseMessage response, CancellationToken upstreamCancel)
    {
        byte[] bytes;
        try
        {
            bytes = await response.Content.ReadAsByteArrayAsync(upstreamCancel);
        }
        catch (OperationCanceledException) when (call.Route.OnDisconnect == DisconnectPolicy.Cut && context.RequestAborted.IsCancellationRequested)
        {
            await services.Charger.SettleAsync(call, reservation, CallUsage.Counted(string.Empty));
            return;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            await services.Charger.ReleaseAsync(call, reservation);
            await WriteErrorAsync(context, ex is OperationCanceledException ? ProtocolError.UpstreamTimeout : ProtocolError.UpstreamFailed, "the upstream's answer broke off");
            return;
        }

        // Not JSON, or unreadable: billed from the request alone, and relayed as it came.
        var json = (response.Content.Headers.ContentType?.MediaType ?? string.Empty).Contains("json", StringComparison.OrdinalIgnoreCase);
        await services.Charger.SettleAsync(call, reservation, UsageOfAnswer(request, bytes, json));
        context.Response.StatusCode = (int)response.StatusCode;
        context.Response.ContentType = response.Content.Headers.ContentType?.ToString() ?? "application/json";
        try
        {
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client left; the call was made and is charged.
        }
    }

    /// <summary>
    /// A streamed answer: relay each event as it comes, following it with the protocol's meter, then settle: the
    /// upstream's usage when it reported it, else the tokens counted on the text (estimated); nothing when the upstream
    /// failed before any output.
    /// </summary>
    private async Task StreamAsync(HttpContext context, GatewayCall call, Reservation reservation, HttpResponseMessage response, StreamMeter meter, CancellationToken upstreamCancel)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var clientGone = false;
        var all = new StringBuilder();
        var streamed = new StringBuilder();
        try
        {
            await context.Response.StartAsync(context.RequestAborted);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            clientGone = true;
        }

        try
        {
            // Events the upstream sent together are written together: the client's copy is flushed whenever the next
            // event is not already here, so nothing waits on the upstream unflushed, and a burst costs one send.
            using var reader = new SseReader(await response.Content.ReadAsStreamAsync(upstreamCancel));
            var flushed = 0; // the length of `streamed` the client has been sent
            var unflushed = false;
            while (await reader.ReadAsync(upstreamCancel) is { } e)
            {
                var (text, relay) = meter.Observe(e);
                all.Append(text);
                if (clientGone)
                {
                    continue;
                }

                try
                {
                    if (relay)
                    {
                        // Into the response's pipe, unsent (the body stream's WriteAsync would send each event at once).
                        context.Response.BodyWriter.Write(e.Raw.Span);
                        streamed.Append(text);
                        unflushed = true;
                    }

                    if (unflushed && !reader.HasEventBuffered)
                    {
                        if ((await context.Response.BodyWriter.FlushAsync(context.RequestAborted)).IsCompleted)
                        {
                            throw new IOException("the client's connection is closed");
                        }

                        flushed = streamed.Length;
                        unflushed = false;
                    }
                }
                catch (Exception ex) when (ex is OperationCanceledException or IOException)
                {
                    clientGone = true;
                    streamed.Length = flushed; // what was written since the last flush did not reach the client
                    if (call.Route.OnDisconnect == DisconnectPolicy.Cut)
                    {
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            clientGone = true;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            // The upstream broke off (or timed out) mid-stream: what it produced is billed below, counted.
        }

        clientGone |= context.RequestAborted.IsCancellationRequested;
        CallUsage? usage = meter.Usage is { } exact ? CallUsage.Exact(exact)
            : clientGone && call.Route.OnDisconnect == DisconnectPolicy.Cut ? CallUsage.Counted(streamed.ToString(), meter.InputUsage)
            : all.Length > 0 || meter.Completed ? CallUsage.Counted(all.ToString(), meter.InputUsage)
            : null;
        if (usage is null)
        {
            await services.Charger.ReleaseAsync(call, reservation);
        }
        else
        {
            await services.Charger.SettleAsync(call, reservation, usage);
        }
    }
}
