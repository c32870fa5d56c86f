namespace Tollgate.Gateway.Upstreams;

/// <summary>The gateway's own errors, each written in the calling protocol's error shape with its status.</summary>
public enum ProtocolError
{
    BadRequest,
    Unauthorized,
    Forbidden,
    UnknownModel,
    InsufficientFunds,
    Conflict,
    RateLimited,
    UpstreamFailed,
    UpstreamTimeout,
}
