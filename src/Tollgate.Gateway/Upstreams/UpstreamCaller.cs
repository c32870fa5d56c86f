using System.Net;
using Microsoft.Extensions.Logging;
using Tollgate.Gateway.Routes;

namespace Tollgate.Gateway.Upstreams;

/// <summary>
/// Sends a call to a route's upstreams in order, failing over to the next on a connection error, a timeout or a 5xx
/// answer: all of them happen before the first byte reaches the client, so the client sees one answer.
/// </summary>
public sealed class UpstreamCaller : IDisposable
{
    private readonly HttpClient http;
    private readonly ILogger<UpstreamCaller> log;

    public UpstreamCaller(GatewayOptions options, ILogger<UpstreamCaller> log)
    {
        this.log = log;
        http = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,

            // An answer given up before its end (the client left under `cut`) closes its connection. The default drains
            // it for up to 2 s to reuse the connection, and the provider goes on writing, and billing, the whole answer.
            MaxResponseDrainSize = 0,
        })
        {
            // Streams last as long as the model writes; the caller's token bounds each call instead.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <param name="build">The request for one upstream (its URL, its key, its model name in the body).</param>
    public async Task<UpstreamResponse> SendAsync(IReadOnlyList<Upstream> upstreams, Func<Upstream, HttpRequestMessage> build, CancellationToken cancel)
    {
        UpstreamResponse last = new(null, null, "no upstream serves this model for this protocol", false);
        foreach (var upstream in upstreams)
        {
            using var request = build(upstream);
            try
            {
                var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel);
                if ((int)response.StatusCode < 500)
                {
                    return new UpstreamResponse(response, upstream, null, false);
                }

                var body = await response.Content.ReadAsStringAsync(cancel);
                response.Dispose();
                log.LogWarning("upstream {Url} answered {Status}; trying the next", upstream.BaseUrl, (int)response.StatusCode);
                last = new UpstreamResponse(null, upstream, $"the upstream answered {(int)response.StatusCode}: {Truncate(body)}", false);
            }
            catch (HttpRequestException ex)
            {
                log.LogWarning("upstream {Url} failed: {Message}; trying the next", upstream.BaseUrl, ex.Message);
                last = new UpstreamResponse(null, upstream, $"the upstream could not be reached: {ex.Message}", false);
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                log.LogWarning("upstream {Url} timed out; trying the next", upstream.BaseUrl);
                last = new UpstreamResponse(null, upstream, "the upstream did not answer in time", true);
            }
        }

        return last;
    }

    public void Dispose() => http.Dispose();

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "...";
}
