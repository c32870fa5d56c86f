namespace Tollgate.Gateway.Keys;

/// <summary>A gateway key just created: <see cref="Secret"/> is the whole key, shown once and stored only as a hash.</summary>
public sealed record CreatedGatewayKey(GatewayKey Key, string Secret);
