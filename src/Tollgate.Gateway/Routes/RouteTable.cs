using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;
using Tollgate.Core.Events;

namespace Tollgate.Gateway.Routes;

/// <summary>
/// The gateway's routes, read from a YAML file (docs/gateway.md shows its shape). Every problem is reported with the
/// route it is in, at start-up: a gateway never starts with a route it cannot price or call.
/// </summary>
public sealed class RouteTable
{
    private readonly Dictionary<string, GatewayRoute> routes;

    public RouteTable(IEnumerable<GatewayRoute> routes)
    {
        this.routes = new Dictionary<string, GatewayRoute>(StringComparer.OrdinalIgnoreCase);
        foreach (var route in routes)
        {
            if (!this.routes.TryAdd(route.Model, route))
            {
                throw new InvalidOperationException($"gateway routes: model '{route.Model}' is routed twice");
            }
        }
    }

    public static RouteTable Empty { get; } = new([]);

    public IEnumerable<GatewayRoute> All => routes.Values.OrderBy(r => r.Model, StringComparer.Ordinal);

    public GatewayRoute? Find(string model) => routes.GetValueOrDefault(model);

    /// <param name="environment">Reads the environment variables that hold provider keys (injected for tests).</param>
    public static RouteTable Load(string path, Func<string, string?>? environment = null) =>
        Parse(File.ReadAllText(path), environment ?? Environment.GetEnvironmentVariable);

    public static RouteTable Parse(string yaml, Func<string, string?> environment)
    {
        var file = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build().Deserialize<RoutesFile?>(yaml)
            ?? new RoutesFile();
        var routes = new List<GatewayRoute>();
        foreach (var (r, i) in file.Routes.Select((r, i) => (r, i)))
        {
            var where = $"gateway routes: routes[{i}] ({r.Model ?? "no model"})";
            if (string.IsNullOrWhiteSpace(r.Model))
            {
                throw new InvalidOperationException($"{where}: model is required");
            }

            var policy = r.OnDisconnect ?? DisconnectPolicy.Finish;
            if (policy is not (DisconnectPolicy.Finish or DisconnectPolicy.Cut))
            {
                throw new InvalidOperationException($"{where}: on_disconnect must be finish or cut (got '{policy}')");
            }

            if (r.Upstreams.Count == 0)
            {
                throw new InvalidOperationException($"{where}: at least one upstream is required");
            }

            var upstreams = r.Upstreams.Select((u, j) => ToUpstream(u, $"{where}.upstreams[{j}]", environment)).ToList();
            routes.Add(new GatewayRoute(r.Model, r.PriceItem ?? r.Model, r.Type ?? BillingTypes.LlmText, r.MaxOutputTokens ?? 4096, policy, upstreams));
        }

        return new RouteTable(routes);
    }

    private static Upstream ToUpstream(UpstreamEntry u, string where, Func<string, string?> environment)
    {
        var kind = u.Kind ?? Upstream.OpenAi;
        if (kind is not (Upstream.OpenAi or Upstream.Anthropic))
        {
            throw new InvalidOperationException($"{where}: kind must be openai or anthropic (got '{kind}')");
        }

        if (!Uri.TryCreate(u.BaseUrl, UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
        {
            throw new InvalidOperationException($"{where}: base_url must be an absolute http(s) URL");
        }

        var key = u.ApiKey;
        if (u.ApiKeyEnv is { } variable)
        {
            key = environment(variable) ?? throw new InvalidOperationException($"{where}: the environment variable {variable} (api_key_env) is not set");
        }

        return new Upstream(kind, baseUrl, u.Model ?? throw new InvalidOperationException($"{where}: model is required"), key);
    }

    private sealed class RoutesFile
    {
        public List<RouteEntry> Routes { get; set; } = [];
    }

    private sealed class RouteEntry
    {
        public string? Model { get; set; }

        public string? PriceItem { get; set; }

        public string? Type { get; set; }

        public long? MaxOutputTokens { get; set; }

        public string? OnDisconnect { get; set; }

        public List<UpstreamEntry> Upstreams { get; set; } = [];
    }

    private sealed class UpstreamEntry
    {
        public string? Kind { get; set; }

        public string? BaseUrl { get; set; }

        public string? Model { get; set; }

        public string? ApiKey { get; set; }

        public string? ApiKeyEnv { get; set; }
    }
}
