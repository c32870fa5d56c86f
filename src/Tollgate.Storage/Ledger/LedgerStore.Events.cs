using System.Text.Json;
using Dapper;

namespace Tollgate.Storage.Ledger;

/// <summary>A page of a tenant's events, newest first; <see cref="Next"/> continues it (null at the end).</summary>
public sealed record EventPage(IReadOnlyList<StoredEvent> Events, EventCursor? Next);

/// <summary>Where a newest-first page of events continues: strictly before this (event time, event id).</summary>
public sealed record EventCursor(long EventTime, string EventId);

/// <summary>What an event log page is filtered by; null = any. Model, type, channel and subject are read from the stored body.</summary>
public sealed record EventFilter(string? Status = null, string? Model = null, string? Type = null, string? Channel = null, string? Subject = null)
{
    public bool OnBody => Model is not null || Type is not null || Channel is not null || Subject is not null;

    public bool Matches(string? body)
    {
        if (!OnBody)
        {
            return true;
        }

        if (body is null)
        {
            return false;
        }

        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        return Is(root, "model", Model) && Is(root, "type", Type) && Is(root, "channel", Channel) && Is(root, "subject", Subject);
    }

    private static bool Is(JsonElement root, string name, string? wanted) =>
        wanted is null || (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() == wanted);
}

public sealed partial class LedgerStore
{
    /// <summary>How many stored events one page may read when filtering on body fields, so a rare filter stays bounded.</summary>
    public const int MaxEventScan = 5000;

    /// <summary>
    /// A tenant's recorded events, newest event time first, for the console's request log. Status is filtered in SQL;
    /// body fields (model, type, channel, subject) are filtered while reading, over at most <see cref="MaxEventScan"/> rows.
    /// </summary>
    public async Task<EventPage> ListEventsAsync(string tenant, EventFilter filter, EventCursor? before, int limit, CancellationToken cancel = default)
    {
        limit = Math.Clamp(limit, 1, MaxPageSize);
        await using var connection = await dialect.OpenAsync(cancel);
        var found = new List<StoredEvent>();
        var cursor = before;
        var scanned = 0;
        while (found.Count <= limit && scanned < MaxEventScan)
        {
            var take = filter.OnBody ? 500 : limit + 1;
            var rows = (await connection.QueryAsync<(string EventId, string Status, long EventTime, long RecordedAt, string Result, string? Body)>(
                "SELECT event_id, status, event_time, recorded_at, result, body FROM events WHERE tenant_id = @tenant " +
                "AND (@status IS NULL OR status = @status) " +
                "AND (@hasCursor = 0 OR event_time < @time OR (event_time = @time AND event_id < @id)) " +
                "ORDER BY event_time DESC, event_id DESC LIMIT @take",
                new { tenant, status = filter.Status, hasCursor = cursor is null ? 0 : 1, time = cursor?.EventTime ?? 0L, id = cursor?.EventId ?? string.Empty, take })).ToList();
            scanned += rows.Count;
            foreach (var r in rows.Where(r => filter.Matches(r.Body)))
            {
                found.Add(new StoredEvent(r.EventId, r.Status, r.EventTime, r.RecordedAt, JsonSerializer.Deserialize<RecordResult>(r.Result, Json)!, r.Body));
            }

            if (rows.Count < take)
            {
                break;
            }

            cursor = new EventCursor(rows[^1].EventTime, rows[^1].EventId);
        }

        var page = found.Take(limit).ToList();
        var more = found.Count > limit || (scanned >= MaxEventScan && page.Count > 0);
        return new EventPage(page, more && page.Count > 0 ? new EventCursor(page[^1].EventTime, page[^1].EventId) : null);
    }
}
