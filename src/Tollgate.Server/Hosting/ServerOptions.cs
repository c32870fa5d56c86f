namespace Tollgate.Server.Hosting;

/// <summary>
/// How a Tollgate server runs. The defaults are the embedded setup: http://127.0.0.1:5080, SQLite in ./data, the
/// built-in price books. Every option has an environment variable (TOLLGATE_URLS, TOLLGATE_DATA, TOLLGATE_POSTGRES,
/// TOLLGATE_BOOTSTRAP_KEY, TOLLGATE_GATEWAY_ROUTES, TOLLGATE_MAX_BATCH, TOLLGATE_BILL_DELAY as d.hh:mm:ss, TOLLGATE_WEBHOOKS_ALLOW_PRIVATE as
/// true/false) and a `tollgate serve` flag.
/// </summary>
public sealed record ServerOptions
{
    public string Urls { get; init; } = "http://127.0.0.1:5080";

    /// <summary>The folder of the SQLite database (tollgate.db), used unless <see cref="Postgres"/> is set.</summary>
    public string DataDirectory { get; init; } = "data";

    /// <summary>A PostgreSQL connection string: the production store.</summary>
    public string? Postgres { get; init; }

    /// <summary>The first operator key, on an empty store; a random one is printed when unset.</summary>
    public string? BootstrapKey { get; init; }

    /// <summary>The most events one batch request may carry.</summary>
    public int MaxBatch { get; init; } = 5000;

    /// <summary>The largest request body accepted, in bytes.</summary>
    public long MaxBodyBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>How often expired reservations and balances are swept, and price books re-read (changes by other nodes).</summary>
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long after a billing cycle ends its bill is issued (the seeds: one day).</summary>
    public TimeSpan BillDelay { get; init; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Whether webhooks may be delivered to loopback, private, link-local and metadata addresses. Off by default: a
    /// tenant must not reach the operator's internal network through the server (see docs/security.md, "Webhook targets").
    /// </summary>
    public bool WebhooksAllowPrivate { get; init; }

    /// <summary>How long one webhook attempt may take, connecting included, before it counts as failed.</summary>
    public TimeSpan WebhookTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The most webhook attempts in flight for one tenant on one node, so no tenant's slow receiver starves the others.</summary>
    public int WebhookConcurrencyPerTenant { get; init; } = 4;

    /// <summary>The metering gateway's routes: a YAML file (docs/gateway.md); none, and the gateway serves no models.</summary>
    public string? GatewayRoutes { get; init; }

    /// <summary>The defaults with the environment variables applied (flags then override these).</summary>
    public static ServerOptions FromEnvironment()
    {
        Func<string, string?> env = Environment.GetEnvironmentVariable;
        var defaults = new ServerOptions();
        return defaults with
        {
            Urls = env("TOLLGATE_URLS") ?? defaults.Urls,
            DataDirectory = env("TOLLGATE_DATA") ?? defaults.DataDirectory,
            Postgres = env("TOLLGATE_POSTGRES") ?? defaults.Postgres,
            BootstrapKey = env("TOLLGATE_BOOTSTRAP_KEY") ?? defaults.BootstrapKey,
            GatewayRoutes = env("TOLLGATE_GATEWAY_ROUTES") ?? defaults.GatewayRoutes,
            MaxBatch = int.TryParse(env("TOLLGATE_MAX_BATCH"), out var batch) ? batch : defaults.MaxBatch,
            BillDelay = TimeSpan.TryParse(env("TOLLGATE_BILL_DELAY"), System.Globalization.CultureInfo.InvariantCulture, out var delay) ? delay : defaults.BillDelay,
            WebhooksAllowPrivate = bool.TryParse(env("TOLLGATE_WEBHOOKS_ALLOW_PRIVATE"), out var allowPrivate) ? allowPrivate : defaults.WebhooksAllowPrivate,
        };
    }
}
