using Tollgate.Core.Events;
using Tollgate.Gateway.Keys;
using Tollgate.Gateway.Routes;

namespace Tollgate.Gateway.Charging;

/// <summary>
/// One call through the gateway, as it is charged: the key that made it (tenant, subject, channel), the route that
/// prices it, its event id, its request attributes (priority ...), the text of its input for counting tokens (null
/// when it has none) and the most it can use besides that input (reserved before the call: the output limit, images ...).
/// </summary>
public sealed record GatewayCall(
    GatewayKey Key,
    GatewayRoute Route,
    string EventId,
    IReadOnlyDictionary<string, string> Attributes,
    string? InputText,
    IReadOnlyDictionary<string, decimal> Reserve)
{
    /// <summary>Images in the input, at the largest size a provider bills (their real size is unknown before the call).</summary>
    public IReadOnlyList<ImageSize> InputImages { get; init; } = [];
}
