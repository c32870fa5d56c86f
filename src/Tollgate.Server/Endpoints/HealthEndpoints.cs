using Dapper;
using Prometheus;
using Tollgate.Server.Api;
using Tollgate.Server.OpenApi;
using Tollgate.Storage.Sql;

namespace Tollgate.Server.Endpoints;

/// <summary>/healthz (the process answers), /readyz (the store answers too) and /metrics (Prometheus), without a key.</summary>
public static class HealthEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Text("ok")).WithTags("Health").WithSummary("Liveness: the process answers").ProducesText(200, "text/plain", "ok").AllowAnonymous();
        app.MapGet("/readyz", ReadyAsync).WithTags("Health").WithSummary("Readiness: the store answers").ProducesText(200, "text/plain", "ready").ProducesProblem(503).AllowAnonymous();
        app.MapMetrics("/metrics", app.Services.GetRequiredService<Hosting.TollgateMetrics>().Registry).AllowAnonymous();
    }

    private static async Task<IResult> ReadyAsync(SqlDialect dialect, CancellationToken cancel)
    {
        try
        {
            await using var connection = await dialect.OpenAsync(cancel);
            await connection.ExecuteScalarAsync<int>("SELECT 1");
            return Results.Text("ready");
        }
        catch (Exception ex) when (StoreErrors.IsUnavailable(ex))
        {
            return Problems.Of(StatusCodes.Status503ServiceUnavailable, Problems.StoreUnavailable, $"the store does not answer: {ex.Message}");
        }
    }
}
