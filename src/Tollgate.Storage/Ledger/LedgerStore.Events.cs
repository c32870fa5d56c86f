using System.Text.Json;
using Dapper;

namespace Tollgate.Storage.Ledger;

/// <summary>A page of a tenant's events, newest first; <see cref="Next"/> continues it (null at the end).</summary>
public sealed record EventPage(IReadOnlyList<StoredEvent> Events, EventCursor? Next);

/// <summary>Where a newest-first page of events continues: strictly before this (event time, event id).</summary>
public sealed record EventCursor(long EventTime, string EventId);

/// <summary>What an event log page is filtered by; null = any. Model, type, channel and subject are read from the stored body.</summary>
public sealed record EventFilter(string? Status = null, string? Model = null, string? Type = null, string? Channel = null, string? Subject = null);

public sealed partial class LedgerStore
{
    /// <summary>
    /// A tenant's recorded events, newest event time first, for the console's request log. Every filter is SQL, and
    /// the walk follows the (tenant_id, event_time, event_id) index of migration 030 from the cursor down, stopping
    /// at the page's end: a page costs its own rows (plus the rows a body filter skips), never a sort of the tenant.
    /// </summary>
    public async Task<EventPage> ListEventsAsync(string tenant, EventFilter filter, EventCursor? before, int limit, CancellationToken cancel = default)
    {
        limit = Math.Clamp(limit, 1, MaxPageSize);
        await using var connection = await dialect.OpenAsync(cancel);
        var sql = new System.Text.StringBuilder("SELECT event_id, status, event_time, recorded_at, result, body FROM events WHERE tenant_id = @tenant");
        var args = new DynamicParameters(new { tenant, take = limit + 1 });
        if (filter.Status is not null)
        {
            sql.Append(" AND status = @status");
            args.Add("status", filter.Status);
        }

        foreach (var (name, value) in new[] { ("model", filter.Model), ("type", filter.Type), ("channel", filter.Channel), ("subject", filter.Subject) })
        {
            if (value is not null)
            {
                sql.Append(" AND ").Append(dialect.JsonText("body", name)).Append(" = @").Append(name);
                args.Add(name, value);
            }
        }

        if (before is not null)
        {
            // Row-value comparison would be neater, but written out it is the form both engines turn into an index range.
            sql.Append(" AND event_time <= @time AND (event_time < @time OR event_id < @id)");
            args.Add("time", before.EventTime);
            args.Add("id", before.EventId);
        }

        sql.Append(" ORDER BY event_time DESC, event_id DESC LIMIT @take");
        var rows = (await connection.QueryAsync<(string EventId, string Status, long EventTime, long RecordedAt, string Result, string? Body)>(sql.ToString(), args)).ToList();
        var page = rows.Take(limit)
            .Select(r => new StoredEvent(r.EventId, r.Status, r.EventTime, r.RecordedAt, StoredAnswer.Read(r.Result, r.EventId), r.Body))
            .ToList();
        return new EventPage(page, rows.Count > limit ? new EventCursor(page[^1].EventTime, page[^1].EventId) : null);
    }
}
