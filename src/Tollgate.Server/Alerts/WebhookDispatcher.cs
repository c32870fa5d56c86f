using System.Text;
using NodaTime;
using Tollgate.Client.Webhooks;
using Tollgate.Storage.Alerts;

namespace Tollgate.Server.Alerts;

/// <summary>
/// Sends due webhook deliveries: each POSTed with its alert's JSON body, signed (<see cref="WebhookSignature"/>), and
/// its outcome recorded; a failure is retried after the store's back-off. A delivery is claimed before it is sent, so
/// two nodes do not send it at once; a receiver may still see one twice (a crash after sending), and tells by the
/// Tollgate-Delivery header.
/// </summary>
public sealed class WebhookDispatcher(AlertStore alerts, IHttpClientFactory clients, IClock clock, Hosting.TollgateMetrics metrics, ILogger<WebhookDispatcher> log)
{
    public const string HttpClientName = "webhooks";

    /// <summary>Longer than one attempt can take: a claimed delivery is not sent again before this.</summary>
    private static readonly Duration Lease = Duration.FromMinutes(2);

    /// <summary>Sends every delivery due now; returns how many were attempted.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancel)
    {
        var due = await alerts.ClaimDueAsync(Lease, cancel: cancel);
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancel }, async (d, token) =>
        {
            var (status, error) = await SendAsync(d, token);
            metrics.Delivery(status);
            await alerts.RecordAttemptAsync(d.DeliveryId, status, error, token);
        });
        return due.Count;
    }

    private async Task<(int? Status, string? Error)> SendAsync(DueDelivery d, CancellationToken cancel)
    {
        var timestamp = clock.GetCurrentInstant().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, d.Url) { Content = new StringContent(d.Body, Encoding.UTF8, "application/json") };
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(d.Secret, timestamp, d.Body));
        request.Headers.Add(WebhookSignature.DeliveryHeader, d.DeliveryId);
        try
        {
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, cancel);
            var code = (int)response.StatusCode;
            return (code, response.IsSuccessStatusCode ? null : $"HTTP {code}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancel.IsCancellationRequested)
        {
            log.LogInformation("webhook delivery {Delivery} to {Url} failed: {Error}", d.DeliveryId, d.Url, ex.Message);
            return (null, ex.Message);
        }
    }
}
