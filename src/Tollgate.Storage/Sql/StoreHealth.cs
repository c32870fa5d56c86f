using System.Diagnostics;
using Dapper;

namespace Tollgate.Storage.Sql;

/// <summary>What the console's health page shows of the store: does it answer and how fast, and the last bill run and delivery backlog.</summary>
public sealed record StoreHealth(string Engine, bool Answers, TimeSpan RoundTrip, string? Error, long Tenants, long? LastBillIssuedAt, long PendingDeliveries, long FailedDeliveries)
{
    public static async Task<StoreHealth> ReadAsync(SqlDialect dialect, CancellationToken cancel = default)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            await using var connection = await dialect.OpenAsync(cancel);
            await connection.ExecuteScalarAsync<int>("SELECT 1");
            var roundTrip = watch.Elapsed;
            var tenants = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM tenants");
            var lastBill = await connection.ExecuteScalarAsync<long?>("SELECT MAX(issued_at) FROM bills");
            var pending = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending'");
            var failed = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'failed'");
            return new StoreHealth(dialect.Name, true, roundTrip, null, tenants, lastBill, pending, failed);
        }
        catch (Exception ex) when (StoreErrors.IsUnavailable(ex))
        {
            return new StoreHealth(dialect.Name, false, watch.Elapsed, ex.Message, 0, null, 0, 0);
        }
    }
}
