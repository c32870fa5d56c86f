using System.Collections.Concurrent;
using System.Text;
using NodaTime;
using Tollgate.Client.Webhooks;
using Tollgate.Server.Hosting;
using Tollgate.Storage.Alerts;

namespace Tollgate.Server.Alerts;

/// <summary>
/// Sends due webhook deliveries: each POSTed with its alert's JSON body, signed (<see cref="WebhookSignature"/>), and
/// its outcome recorded; a failure is retried after the store's back-off. A delivery is claimed before it is sent, so
/// two nodes do not send it at once; a receiver may still see one twice (a crash after sending), and tells by the
/// Tollgate-Delivery header.
/// </summary>
/// <remarks>
/// Attempts run in the background, each limited to <see cref="ServerOptions.WebhookTimeout"/>, at most
/// <see cref="ServerOptions.WebhookConcurrencyPerTenant"/> per tenant and <see cref="MaxInFlight"/> in all, and
/// claimed in turns across tenants: a sweep never waits for a slow receiver, and one tenant's many slow webhooks
/// hold back only that tenant. What a tenant sees of a failure (the delivery's last_error) is a category; the
/// details (addresses, ports, socket errors) go to the server log only.
/// </remarks>
public sealed class WebhookDispatcher(AlertStore alerts, IHttpClientFactory clients, IClock clock, ServerOptions options, TollgateMetrics metrics, ILogger<WebhookDispatcher> log)
{
    public const string HttpClientName = "webhooks";

    /// <summary>The most attempts in flight on one node, all tenants together.</summary>
    public const int MaxInFlight = 64;

    public const string RefusedByPolicy = "connection refused by policy";
    public const string TimedOut = "timeout";
    public const string ConnectionFailed = "connection failed";

    private readonly ConcurrentDictionary<string, int> inFlight = new(StringComparer.Ordinal);
    private int total;

    /// <summary>Longer than one attempt can take: a claimed delivery is not sent again before this.</summary>
    private Duration Lease => Duration.FromTimeSpan(options.WebhookTimeout) + Duration.FromMinutes(1);

    /// <summary>
    /// The handler of the webhook client: connects only where <see cref="WebhookTargets"/> allows, follows no
    /// redirect (a 3xx is a failed attempt) and ignores any proxy settings (the proxy would be the address checked).
    /// </summary>
    public static SocketsHttpHandler CreateHandler(ServerOptions options) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        ConnectCallback = WebhookTargets.Connect(options.WebhooksAllowPrivate),
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
    };

    /// <summary>Starts the deliveries due now that free slots allow, without waiting for them; returns how many.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancel)
    {
        var free = MaxInFlight - Volatile.Read(ref total);
        if (free <= 0)
        {
            return 0;
        }

        var busy = inFlight.Where(p => p.Value > 0).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var due = await alerts.ClaimDueAsync(Lease, free, options.WebhookConcurrencyPerTenant, busy, cancel);
        foreach (var d in due)
        {
            Interlocked.Increment(ref total);
            inFlight.AddOrUpdate(d.Tenant, 1, (_, n) => n + 1);
            _ = Task.Run(() => AttemptAsync(d, cancel), CancellationToken.None);
        }

        return due.Count;
    }

    /// <summary>Waits (up to <paramref name="limit"/>) for the attempts in flight, which end soon once the server stops.</summary>
    public async Task DrainAsync(TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        while (Volatile.Read(ref total) > 0 && DateTime.UtcNow < until)
        {
            await Task.Delay(20, CancellationToken.None);
        }
    }

    private async Task AttemptAsync(DueDelivery d, CancellationToken stopping)
    {
        try
        {
            var (status, error) = await SendAsync(d, stopping);
            metrics.Delivery(status);
            await alerts.RecordAttemptAsync(d.DeliveryId, status, error, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down: the lease runs out and the delivery is attempted again.
        }
        catch (Exception ex)
        {
            log.LogWarning(ex, "could not record webhook delivery {Delivery}; it is attempted again when its lease ends", d.DeliveryId);
        }
        finally
        {
            inFlight.AddOrUpdate(d.Tenant, 0, (_, n) => n - 1);
            Interlocked.Decrement(ref total);
        }
    }

    private async Task<(int? Status, string? Error)> SendAsync(DueDelivery d, CancellationToken stopping)
    {
        var timestamp = clock.GetCurrentInstant().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, d.Url) { Content = new StringContent(d.Body, Encoding.UTF8, "application/json") };
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(d.Secret, timestamp, d.Body));
        request.Headers.Add(WebhookSignature.DeliveryHeader, d.DeliveryId);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        attempt.CancelAfter(options.WebhookTimeout);
        try
        {
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token);
            var code = (int)response.StatusCode;
            return (code, response.IsSuccessStatusCode ? null : $"http {code}");
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            log.LogWarning("webhook delivery {Delivery} of tenant {Tenant} to {Url} timed out after {Timeout}", d.DeliveryId, d.Tenant, d.Url, options.WebhookTimeout);
            return (null, TimedOut);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var refused = ex.InnerException is WebhookTargetRefusedException;
            log.LogWarning(ex, "webhook delivery {Delivery} of tenant {Tenant} to {Url} failed: {Error}", d.DeliveryId, d.Tenant, d.Url, ex.InnerException?.Message ?? ex.Message);
            return (null, refused ? RefusedByPolicy : ConnectionFailed);
        }
    }
}
