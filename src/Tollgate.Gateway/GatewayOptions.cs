using NodaTime;
using Tollgate.Gateway.Routes;

namespace Tollgate.Gateway;

/// <summary>How the gateway runs: its routes (from a YAML file) and how long a call's reservation may stay open.</summary>
public sealed record GatewayOptions
{
    public RouteTable Routes { get; init; } = RouteTable.Empty;

    /// <summary>How long a call's hold lives: a stream running longer is still charged, straight from the balances.</summary>
    public Duration HoldTimeout { get; init; } = Duration.FromMinutes(15);

    /// <summary>The longest a call may take upstream, stream included (also how long `finish` keeps reading for a departed client).</summary>
    public TimeSpan UpstreamTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long connecting to an upstream may take before the next one is tried.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The options with the routes of <paramref name="routesFile"/> (none when it is null).</summary>
    public static GatewayOptions FromFile(string? routesFile) =>
        routesFile is null ? new GatewayOptions() : new GatewayOptions { Routes = RouteTable.Load(routesFile) };
}
