using Tollgate.Gateway.Routes;

namespace Tollgate.Gateway.Upstreams;

/// <summary>
/// The outcome of calling a route's upstreams: the first answer that was not a server error (its body still unread),
/// or the last failure when none answered (<see cref="TimedOut"/> when the last one did not answer in time).
/// </summary>
public sealed record UpstreamResponse(HttpResponseMessage? Response, Upstream? Upstream, string? Failure, bool TimedOut) : IDisposable
{
    public bool Answered => Response is not null;

    public void Dispose() => Response?.Dispose();
}
