using System.Net;
using System.Net.Sockets;

namespace Tollgate.Server.Alerts;

/// <summary>
/// Where a webhook may connect. A tenant chooses the URL, so without a check it could make the server reach the
/// operator's own network (server-side request forgery). The check is on the address actually connected to: the
/// connect callback resolves the name itself and connects only to an address it has checked, so neither a name
/// that resolves to 127.0.0.1 nor an odd spelling (2130706433, ::ffff:127.0.0.1) gets through, and a name that
/// resolves differently a second time (DNS rebinding) is not asked again.
/// </summary>
public static class WebhookTargets
{
    /// <summary>Networks no webhook reaches unless the operator allows private targets.</summary>
    private static readonly IPNetwork[] Refused =
    [
        IPNetwork.Parse("0.0.0.0/8"), // "this network", 0.0.0.0 reaches the host itself
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("100.64.0.0/10"), // carrier-grade NAT
        IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"), // link-local, and the cloud metadata service 169.254.169.254
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.0.0.0/24"), // IETF protocol assignments
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"), // benchmarking, used inside data centres
        IPNetwork.Parse("224.0.0.0/3"), // multicast, reserved and broadcast
        IPNetwork.Parse("::/127"), // unspecified and loopback
        IPNetwork.Parse("fc00::/7"), // unique local
        IPNetwork.Parse("fe80::/10"), // link-local
        IPNetwork.Parse("fec0::/10"), // site-local (deprecated, still routed by some)
        IPNetwork.Parse("ff00::/8"), // multicast
    ];

    /// <summary>IPv6 prefixes that carry an IPv4 address in their last 32 bits: judged by that address.</summary>
    private static readonly IPNetwork[] EmbeddingIpv4 =
    [
        IPNetwork.Parse("::/96"), // IPv4-compatible (deprecated)
        IPNetwork.Parse("64:ff9b::/96"), // NAT64
        IPNetwork.Parse("64:ff9b:1::/48"), // local-use NAT64
    ];

    /// <summary>Whether an address is loopback, private, link-local, unspecified, multicast or metadata.</summary>
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return IsPrivate(address.MapToIPv4());
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            if (EmbeddingIpv4.Any(n => n.Contains(address)) && !address.Equals(IPAddress.IPv6Any) && !address.Equals(IPAddress.IPv6Loopback))
            {
                return IsPrivate(new IPAddress(bytes.AsSpan(12)));
            }

            // 6to4 (2002::/16) carries its IPv4 address in bytes 2-5.
            if (bytes[0] == 0x20 && bytes[1] == 0x02)
            {
                return IsPrivate(new IPAddress(bytes.AsSpan(2, 4)));
            }
        }

        return Refused.Any(n => n.Contains(address));
    }

    /// <summary>
    /// A connect callback for <see cref="SocketsHttpHandler.ConnectCallback"/>: resolves the host, refuses it with a
    /// <see cref="WebhookTargetRefusedException"/> when any of its addresses is private (unless allowed), and connects
    /// to the checked addresses in turn.
    /// </summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> Connect(bool allowPrivate) =>
        async (context, cancel) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancel);
            if (addresses.Length == 0)
            {
                throw new SocketException((int)SocketError.HostNotFound);
            }

            // Every address is checked, not only the first: a name with one public and one private address is refused.
            if (!allowPrivate && addresses.FirstOrDefault(IsPrivate) is { } refused)
            {
                throw new WebhookTargetRefusedException($"{host} resolves to {refused}, a private address; start the server with --webhooks-allow-private to allow it");
            }

            SocketException? last = null;
            foreach (var address in addresses)
            {
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancel);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch (SocketException ex)
                {
                    socket.Dispose();
                    last = ex;
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            }

            throw last!;
        };
}
