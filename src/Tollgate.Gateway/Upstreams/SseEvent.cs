using System.Text;

namespace Tollgate.Gateway.Upstreams;

/// <summary>
/// One server-sent event as it came from the upstream: its raw text (relayed byte for byte), its <c>event:</c> name
/// and its <c>data:</c> lines joined.
/// </summary>
public sealed record SseEvent(string Raw, string? Name, string Data)
{
    public byte[] Bytes() => Encoding.UTF8.GetBytes(Raw);
}
