using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Tollgate.Server.Hosting;

namespace Tollgate.Cli.Commands;

/// <summary>
/// <c>tollgate serve</c>: the HTTP server. With no options: http://127.0.0.1:5080, SQLite in ./data, the built-in
/// price books, and a bootstrap operator key printed on the first start.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string?>("--urls") { Description = "Where to listen (default http://127.0.0.1:5080, or TOLLGATE_URLS)" };
        var data = new Option<string?>("--data") { Description = "Folder of the SQLite database (default ./data, or TOLLGATE_DATA)" };
        var postgres = new Option<string?>("--postgres") { Description = "PostgreSQL connection string (or TOLLGATE_POSTGRES); SQLite when unset" };
        var bootstrapKey = new Option<string?>("--bootstrap-key") { Description = "The first operator key on an empty store (or TOLLGATE_BOOTSTRAP_KEY); random when unset" };
        var maxBatch = new Option<int?>("--max-batch") { Description = "Most events per batch request (default 5000, or TOLLGATE_MAX_BATCH)" };
        var billDelay = new Option<TimeSpan?>("--bill-delay") { Description = "How long after a billing cycle ends its bill is issued (default 1.00:00:00, or TOLLGATE_BILL_DELAY)" };
        var allowPrivate = new Option<bool?>("--webhooks-allow-private")
        {
            Description = "Let webhooks reach loopback, private, link-local and metadata addresses (default false, or TOLLGATE_WEBHOOKS_ALLOW_PRIVATE)",
        };
        var gatewayRoutes = new Option<string?>("--gateway-routes") { Description = "YAML file of the metering gateway's routes (or TOLLGATE_GATEWAY_ROUTES); see docs/gateway.md" };
        var serve = new Command("serve", "Run the Tollgate HTTP API.") { urls, data, postgres, bootstrapKey, maxBatch, billDelay, allowPrivate, gatewayRoutes };
        serve.SetAction(async (parse, cancel) =>
        {
            var env = ServerOptions.FromEnvironment();
            var options = env with
            {
                Urls = parse.GetValue(urls) ?? env.Urls,
                DataDirectory = parse.GetValue(data) ?? env.DataDirectory,
                Postgres = parse.GetValue(postgres) ?? env.Postgres,
                BootstrapKey = parse.GetValue(bootstrapKey) ?? env.BootstrapKey,
                MaxBatch = parse.GetValue(maxBatch) ?? env.MaxBatch,
                BillDelay = parse.GetValue(billDelay) ?? env.BillDelay,
                WebhooksAllowPrivate = parse.GetValue(allowPrivate) ?? env.WebhooksAllowPrivate,
                GatewayRoutes = parse.GetValue(gatewayRoutes) ?? env.GatewayRoutes,
            };
            if (options.MaxBatch is < 1 or > 100_000)
            {
                await Console.Error.WriteLineAsync("error: --max-batch must be between 1 and 100000");
                return 2;
            }

            if (options.BillDelay < TimeSpan.Zero)
            {
                await Console.Error.WriteLineAsync("error: --bill-delay cannot be negative");
                return 2;
            }

            await using var app = await TollgateServer.BuildAsync(options, cancel: cancel);
            var store = options.Postgres is null ? $"SQLite {Path.GetFullPath(Path.Combine(options.DataDirectory, "tollgate.db"))}" : "PostgreSQL";
            await app.StartAsync(cancel);
            Console.WriteLine($"Tollgate is listening on {string.Join(", ", app.Urls)} ({store}); API docs at {app.Urls.First()}/docs");
            await app.WaitForShutdownAsync(cancel);
            return 0;
        });
        return serve;
    }
}
