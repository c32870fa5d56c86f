namespace Tollgate.Gateway.Routes;

/// <summary>A public model name, the price book item that prices it, and the upstreams that serve it (tried in order).</summary>
/// <param name="Model">The name callers send as <c>model</c>.</param>
/// <param name="PriceItem">The item of the tenant's price book (its model name) that prices the calls.</param>
/// <param name="Type">The billing type of the events (llm_text for chat).</param>
/// <param name="MaxOutputTokens">The model's output limit: what a call that sets no maximum is reserved for.</param>
/// <param name="OnDisconnect"><see cref="DisconnectPolicy.Finish"/> or <see cref="DisconnectPolicy.Cut"/>.</param>
public sealed record GatewayRoute(
    string Model,
    string PriceItem,
    string Type,
    long MaxOutputTokens,
    string OnDisconnect,
    IReadOnlyList<Upstream> Upstreams)
{
    /// <summary>The upstreams that speak a protocol: the gateway passes bodies through, so it does not translate between them.</summary>
    public IReadOnlyList<Upstream> Speaking(string kind) => [.. Upstreams.Where(u => u.Kind == kind)];
}
