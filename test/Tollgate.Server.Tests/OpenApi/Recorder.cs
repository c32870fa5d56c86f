using System.Collections.Concurrent;
using System.Net.Http.Headers;

namespace Tollgate.Server.Tests.OpenApi;

/// <summary>An HTTP handler that keeps every request and answer that passes through it, bodies included.</summary>
internal sealed class Recorder() : DelegatingHandler(new HttpClientHandler())
{
    public ConcurrentQueue<Exchange> Exchanges { get; } = new();

    /// <summary>A client of the server at <paramref name="address"/> whose exchanges are recorded, with a key or none.</summary>
    public HttpClient Client(Uri address, string? key = null)
    {
        var http = new HttpClient(this, disposeHandler: false) { BaseAddress = address };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return http;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancel)
    {
        string? body = null;
        if (request.Content is not null)
        {
            await request.Content.LoadIntoBufferAsync(cancel);
            body = await request.Content.ReadAsStringAsync(cancel);
        }

        var response = await base.SendAsync(request, cancel);
        await response.Content.LoadIntoBufferAsync(cancel);
        Exchanges.Enqueue(new Exchange(
            request.Method.Method,
            request.RequestUri!.AbsolutePath,
            request.Content?.Headers.ContentType?.MediaType,
            body,
            (int)response.StatusCode,
            response.Content.Headers.ContentType?.MediaType,
            await response.Content.ReadAsStringAsync(cancel)));
        return response;
    }

    /// <summary>One request and its answer as they went over the wire.</summary>
    public sealed record Exchange(string Method, string Path, string? RequestType, string? RequestBody, int Status, string? ResponseType, string ResponseBody)
    {
        public override string ToString() => $"{Method} {Path} -> {Status}";
    }
}
