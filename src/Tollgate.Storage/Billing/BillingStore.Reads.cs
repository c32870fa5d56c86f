using System.Text.Json;
using Dapper;
using NodaTime;
using Tollgate.Core.Billing;
using Tollgate.Core.Calendar;
using Tollgate.Storage.Ledger;

namespace Tollgate.Storage.Billing;

/// <summary>Reading issued bills: one, a page of them, their totals.</summary>
public sealed partial class BillingStore
{
    /// <summary>The most bills one page of <see cref="ListAsync"/> holds.</summary>
    public const int MaxPageSize = 500;

    public async Task<Bill?> GetAsync(string tenant, string billId, CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(cancel);
        var json = await connection.ExecuteScalarAsync<string?>(
            "SELECT document FROM bills WHERE tenant_id = @tenant AND bill_id = @billId", new { tenant, billId });
        return json is null ? null : JsonSerializer.Deserialize<Bill>(json, Json);
    }

    /// <summary>
    /// A page of a tenant's bills, newest first: those whose cycle starts on or after <paramref name="from"/> and
    /// before <paramref name="to"/> (local dates in the tenant's zone), at most <paramref name="limit"/>, after the
    /// page that <paramref name="cursor"/> (a previous page's <see cref="BillPage.NextCursor"/>) ended.
    /// </summary>
    public async Task<BillPage> ListAsync(string tenant, LocalDate? from, LocalDate? to, int limit, string? cursor, CancellationToken cancel = default)
    {
        if (limit is < 1 or > MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, $"a page holds 1 to {MaxPageSize} bills");
        }

        var after = cursor is null ? null : BillCursor.Parse(cursor)
            ?? throw new LedgerException(Core.Events.ErrorCodes.InvalidField, "the cursor is not one a previous page returned", "cursor");
        var zone = TenantCalendar.Zone((await TenantsAsync(cancel, tenant)).SingleOrDefault()?.Settings.TimeZone ?? "UTC");
        var sql = new System.Text.StringBuilder("SELECT document, starts_at AS StartsAt, bill_id AS BillId FROM bills WHERE tenant_id = @tenant");
        if (from is { } f)
        {
            sql.Append(" AND starts_at >= @from");
        }

        if (to is { } t)
        {
            sql.Append(" AND starts_at < @to");
        }

        if (after is not null)
        {
            sql.Append(" AND (starts_at < @cursorStart OR (starts_at = @cursorStart AND bill_id < @cursorId))");
        }

        sql.Append(" ORDER BY starts_at DESC, bill_id DESC LIMIT @take");
        await using var connection = await dialect.OpenAsync(cancel);
        var rows = (await connection.QueryAsync<(string Document, long StartsAt, string BillId)>(sql.ToString(), new
        {
            tenant,
            from = from is { } a ? zone.AtStartOfDay(a).ToInstant().ToUnixTimeMilliseconds() : 0L,
            to = to is { } b ? zone.AtStartOfDay(b).ToInstant().ToUnixTimeMilliseconds() : 0L,
            cursorStart = after?.StartsAt ?? 0L,
            cursorId = after?.BillId ?? string.Empty,
            take = limit + 1,
        })).ToList();
        var page = rows.Take(limit).ToList();
        var next = rows.Count > limit ? new BillCursor(page[^1].StartsAt, page[^1].BillId).ToString() : null;
        return new BillPage([.. page.Select(r => JsonSerializer.Deserialize<Bill>(r.Document, Json)!)], next);
    }

    /// <summary>Sum of the charges on every issued bill of a tenant, per unit.</summary>
    public async Task<IReadOnlyDictionary<string, decimal>> BilledTotalsAsync(string tenant, CancellationToken cancel = default)
    {
        var totals = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        await using var connection = await dialect.OpenAsync(cancel);
        var documents = await connection.QueryAsync<string>("SELECT document FROM bills WHERE tenant_id = @tenant", new { tenant });
        foreach (var section in documents.Select(json => JsonSerializer.Deserialize<Bill>(json, Json)!).SelectMany(b => b.Units))
        {
            totals[section.Unit] = totals.GetValueOrDefault(section.Unit) + section.Total;
        }

        return totals;
    }
}
