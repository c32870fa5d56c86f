using Microsoft.AspNetCore.Http.Features;
using NodaTime;
using Prometheus;
using Tollgate.Gateway;
using Tollgate.Server.Alerts;
using Tollgate.Server.Api;
using Tollgate.Server.Billing;
using Tollgate.Server.Auth;
using Tollgate.Server.Endpoints;
using Tollgate.Server.OpenApi;
using Tollgate.Storage.Alerts;
using Tollgate.Storage.Billing;
using Tollgate.Storage.Catalogs;
using Tollgate.Storage.Keys;
using Tollgate.Storage.Ledger;
using Tollgate.Storage.Sql;
using Tollgate.Storage.Usage;
using Tollgate.WebConsole.Hosting;

namespace Tollgate.Server.Hosting;

/// <summary>
/// Builds the Tollgate web application: the store (SQLite by default, PostgreSQL by configuration) migrated, the
/// price books loaded, a bootstrap operator key on an empty store, the /v1 API, /healthz, /readyz, /metrics,
/// the OpenAPI document (/openapi/v1.json) and its browsable UI (/docs).
/// </summary>
public static class TollgateServer
{
    /// <param name="output">Where the bootstrap key and the listening address are printed (the console).</param>
    public static async Task<WebApplication> BuildAsync(ServerOptions options, IClock? clock = null, TextWriter? output = null, CancellationToken cancel = default)
    {
        clock ??= SystemClock.Instance;
        output ??= Console.Out;
        var dialect = CreateDialect(options);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            k.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);

        var registry = new PriceBookRegistry(dialect, clock);
        var store = new LedgerStore(dialect, clock, registry.Find);
        var keys = new ApiKeyStore(dialect, clock);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(_ => dialect); // made by a factory, so the server disposes it when it stops
        builder.Services.AddSingleton(clock);
        builder.Services.AddSingleton(registry);
        builder.Services.AddSingleton<PriceBookDryRun>();
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(keys);
        builder.Services.AddSingleton(s => new BillingStore(dialect, clock, s.GetRequiredService<TollgateMetrics>().BillIssued));
        builder.Services.AddSingleton(new UsageStore(dialect));
        builder.Services.AddSingleton(new AlertStore(dialect, clock));
        builder.Services.AddSingleton<AlertMonitor>();
        builder.Services.AddSingleton<WebhookDispatcher>();
        builder.Services.AddHttpClient(WebhookDispatcher.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => WebhookDispatcher.CreateHandler(options));
        builder.Services.AddHostedService<BillingWorker>();
        builder.Services.AddSingleton<TollgateMetrics>();
        builder.Services.AddHostedService<Sweeper>();
        builder.Services.AddSingleton<RecordQueue>();
        builder.Services.AddHostedService(s => s.GetRequiredService<RecordQueue>());
        builder.Services.AddTollgateAuth();
        builder.Services.AddTollgateConsole(o => o.BillExport = BillFormats.Render);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c => Problems.Describe(c.ProblemDetails));
        builder.Services.AddTollgateOpenApi();

        await store.MigrateAsync(cancel);
        await registry.LoadAsync(cancel);
        if (await keys.BootstrapAsync(options.BootstrapKey, cancel) is { } bootstrap)
        {
            await output.WriteLineAsync($"Bootstrap operator key (shown once, store it now): {bootstrap.Secret}");
        }

        var app = builder.Build();
        app.UseMiddleware<ErrorMiddleware>();
        app.UseStatusCodePages();
        app.UseHttpMetrics(o => o.SetMetricFactory(Metrics.WithCustomRegistry(app.Services.GetRequiredService<TollgateMetrics>().Registry)));
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();

        // Every /v1 endpoint needs a caller (policies on the endpoints narrow it); the fallback policy closes any
        // endpoint mapped without one, so only what says AllowAnonymous is open.
        var v1 = app.MapGroup("/v1").RequireAuthorization(Policies.Caller).AddEndpointFilter(RequestValues.RejectControlCharacters);
        EventEndpoints.Map(v1);
        ReservationEndpoints.Map(v1);
        LedgerEndpoints.Map(v1);
        TenantEndpoints.Map(v1);
        KeyEndpoints.Map(v1);
        PriceBookEndpoints.Map(v1);
        UsageEndpoints.Map(v1);
        BillEndpoints.Map(v1);
        WebhookEndpoints.Map(v1);
        HealthEndpoints.Map(app);
        app.MapTollgateConsole();
        app.MapTollgateOpenApi();
        app.MapTollgateGateway(options.GatewayRoutes);
        return app;
    }

    public static SqlDialect CreateDialect(ServerOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Postgres))
        {
            return new PostgresDialect(options.Postgres);
        }

        Directory.CreateDirectory(options.DataDirectory);
        return new SqliteDialect(Path.Combine(options.DataDirectory, "tollgate.db"));
    }
}

/// <summary>
/// Turns failures into problem details: a body over the size limit is 413, a store that cannot be reached is 503
/// (the client retries with the same ids; nothing was acknowledged), anything else a logged 500.
/// </summary>
public sealed class ErrorMiddleware(RequestDelegate next, ILogger<ErrorMiddleware> log)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            var (code, detail) = ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? (Problems.BodyTooLarge, $"the body is larger than {context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize} bytes")
                : (Problems.MalformedJson, ex.Message);
            await Problems.Of(ex.StatusCode, code, detail).ExecuteAsync(context);
        }
        catch (LedgerException ex) when (!context.Response.HasStarted)
        {
            await Problems.Of(Problems.StatusOf(ex.Code, otherwise: StatusCodes.Status400BadRequest), ex.Code, ex.Message, ex.Field).ExecuteAsync(context);
        }
        catch (Exception ex) when (!context.Response.HasStarted && IsUnavailable(ex))
        {
            log.LogWarning(ex, "store unavailable for {Method} {Path}", context.Request.Method, context.Request.Path);
            context.Response.Headers.RetryAfter = "1";
            await Problems.Of(StatusCodes.Status503ServiceUnavailable, Problems.StoreUnavailable, "the store is unavailable; nothing was recorded; retry with the same ids").ExecuteAsync(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is no one to answer.
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            log.LogError(ex, "unhandled error for {Method} {Path}", context.Request.Method, context.Request.Path);
            await Problems.Of(StatusCodes.Status500InternalServerError, Problems.Internal, "an internal error; it has been logged").ExecuteAsync(context);
        }
    }

    private static bool IsUnavailable(Exception ex) => StoreErrors.IsUnavailable(ex);
}
