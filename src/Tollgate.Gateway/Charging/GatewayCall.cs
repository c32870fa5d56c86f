using Tollgate.Gateway.Keys;
using Tollgate.Gateway.Routes;

namespace Tollgate.Gateway.Charging;

/// <summary>
/// One call through the gateway, as it is charged: the key that made it (tenant, subject, channel), the route that
/// prices it, its event id, its request attributes (priority ...) and the text of its input for counting tokens.
/// </summary>
public sealed record GatewayCall(
    GatewayKey Key,
    GatewayRoute Route,
    string EventId,
    IReadOnlyDictionary<string, string> Attributes,
    string InputText,
    long MaxOutputTokens);
