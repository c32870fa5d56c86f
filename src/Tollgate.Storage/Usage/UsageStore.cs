using System.Globalization;
using System.Text;
using Dapper;
using NodaTime;
using Tollgate.Core.Calendar;
using Tollgate.Core.Money;
using Tollgate.Storage.Ledger;
using Tollgate.Storage.Sql;

namespace Tollgate.Storage.Usage;

/// <summary>
/// Answers usage questions from the rollups (never from the events): the database sums the hours (or, for questions
/// about end users, the days; from the end user's totals when no other dimension is asked about) of the range per
/// group, and they are folded into local days or months in each tenant's zone here.
/// </summary>
public sealed class UsageStore(SqlDialect dialect)
{
    /// <summary>The dimensions usage can be grouped by, with their columns.</summary>
    public static IReadOnlyDictionary<string, string> Dimensions { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["tenant"] = "tenant_id",
        ["type"] = "type",
        ["model"] = "model",
        ["channel"] = "channel",
        ["subject"] = "subject",
        ["key_mode"] = "key_mode",
    };

    public async Task<IReadOnlyList<UsageRow>> QueryAsync(UsageQuery query, CancellationToken cancel = default)
    {
        var groupBy = query.GroupBy ?? [];
        if (groupBy.FirstOrDefault(g => !Dimensions.ContainsKey(g)) is { } unknown)
        {
            throw new ArgumentException($"cannot group by '{unknown}'", nameof(query));
        }

        var perSubject = UsesSubjects(query);
        if (perSubject && query.Bucket == UsageBucket.Hour)
        {
            throw new ArgumentException("usage per end user is kept by day: bucket by day or month", nameof(query));
        }

        var (table, time) = !perSubject ? ("usage_rollups", "hour") : SubjectsAlone(query) ? ("usage_subject_totals", "day") : ("usage_subject_rollups", "day");
        var groupColumns = string.Concat(groupBy.Select(g => Dimensions[g]).Where(c => c != "tenant_id").Select(c => $", r.{c}"));
        var filters = new StringBuilder($"r.{time} >= @from AND r.{time} < @to");
        var parameters = new DynamicParameters(new
        {
            from = query.From?.ToUnixTimeMilliseconds() ?? long.MinValue,
            to = query.To?.ToUnixTimeMilliseconds() ?? long.MaxValue,
        });
        foreach (var (column, value) in new[] { ("tenant_id", query.Tenant), ("type", query.Type), ("model", query.Model), ("channel", query.Channel), ("subject", query.Subject), ("key_mode", query.KeyMode) })
        {
            if (value is not null)
            {
                filters.Append(" AND r.").Append(column).Append(" = @").Append(column);
                parameters.Add(column, value);
            }
        }

        // Per group: a row of the events and their charge (meter ''), then one per meter from each row's quantities.
        var groups = $"r.tenant_id, r.{time}{groupColumns}, r.unit";
        var sql =
            $"SELECT {groups}, '' AS meter, SUM(r.events) AS events, 0 AS quantity, {dialect.SumUnits("r.amount")} AS amount " +
            $"FROM {table} r WHERE {filters} GROUP BY {groups} " +
            $"UNION ALL SELECT {groups}, q.key, 0, {dialect.SumUnits("q.value")}, 0 " +
            $"FROM {table} r CROSS JOIN {dialect.EachUnit("r.quantities", "q")} WHERE {filters} GROUP BY {groups}, q.key";
        await using var connection = await dialect.OpenAsync(cancel);
        var zones = (await connection.QueryAsync<(string Id, string Settings)>(
                "SELECT tenant_id, settings FROM tenants WHERE @tenant IS NULL OR tenant_id = @tenant", new { tenant = query.Tenant }))
            .ToDictionary(t => t.Id, t => TenantCalendar.Zone(TenantSettingsDocument.Parse(t.Settings).TimeZone), StringComparer.Ordinal);
        var buckets = new Dictionary<string, Accumulator>(StringComparer.Ordinal);
        await using var reader = await connection.ExecuteReaderAsync(sql, parameters);
        while (await reader.ReadAsync(cancel))
        {
            var tenant = reader.GetString(0);
            var hour = Instant.FromUnixTimeMilliseconds(reader.GetInt64(1));
            var label = Label(hour, zones.GetValueOrDefault(tenant) ?? DateTimeZone.Utc, query.Bucket);
            var group = new SortedDictionary<string, string>(StringComparer.Ordinal);
            var column = 2;
            foreach (var dimension in groupBy)
            {
                group[dimension] = dimension == "tenant" ? tenant : reader.GetString(column++);
            }

            var unit = reader.GetString(column);
            var meter = reader.GetString(column + 1);
            var key = label + "\u0001" + string.Join('\u0001', group.Select(g => g.Value));
            if (!buckets.TryGetValue(key, out var acc))
            {
                buckets[key] = acc = new Accumulator(label, group);
            }

            if (meter.Length == 0)
            {
                acc.Events += Convert.ToInt64(reader.GetValue(column + 2), CultureInfo.InvariantCulture);
                acc.Amounts[unit] = acc.Amounts.GetValueOrDefault(unit) + Convert.ToDecimal(reader.GetValue(column + 4), CultureInfo.InvariantCulture);
            }
            else
            {
                acc.Quantities[meter] = acc.Quantities.GetValueOrDefault(meter) + Convert.ToDecimal(reader.GetValue(column + 3), CultureInfo.InvariantCulture);
            }
        }

        return [.. buckets.Values
            .OrderBy(b => b.Label, StringComparer.Ordinal)
            .ThenBy(b => string.Join('\u0001', b.Group.Values), StringComparer.Ordinal)
            .Select(b => new UsageRow(
                b.Label,
                b.Group,
                b.Events,
                b.Quantities.ToDictionary(q => q.Key, q => q.Value / UsageRollup.QuantityScale, StringComparer.Ordinal),
                b.Amounts.ToDictionary(a => a.Key, a => LedgerAmount.FromUnits(a.Value), StringComparer.Ordinal)))];
    }

    /// <summary>Questions about end users are answered from the daily rollups per end user; the rest from the hourly ones.</summary>
    public static bool UsesSubjects(UsageQuery query) => query.Subject is not null || (query.GroupBy ?? []).Contains("subject");

    /// <summary>
    /// A question about end users that neither groups nor filters by any event dimension (type, model, channel, key
    /// mode) is answered from usage_subject_totals, which keeps only the end user's day: the same sums from a fraction
    /// of the rows.
    /// </summary>
    private static bool SubjectsAlone(UsageQuery query) =>
        query is { Type: null, Model: null, Channel: null, KeyMode: null } && (query.GroupBy ?? []).All(g => g is "tenant" or "subject");

    /// <summary>The local label of the bucket an hour (or day) falls in.</summary>
    private static string? Label(Instant hour, DateTimeZone zone, UsageBucket bucket)
    {
        var zoned = hour.InZone(zone);
        var local = zoned.LocalDateTime;
        return bucket switch
        {
            // With the offset: the two 01:00 hours of a night the clocks go back are two buckets.
            UsageBucket.Hour => zoned.ToString("uuuu-MM-dd'T'HH:mmo<m>", CultureInfo.InvariantCulture),
            UsageBucket.Day => local.Date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture),
            UsageBucket.Month => local.Date.ToString("uuuu-MM", CultureInfo.InvariantCulture),
            _ => null,
        };
    }

    private sealed class Accumulator(string? label, SortedDictionary<string, string> group)
    {
        public string? Label { get; } = label;

        public SortedDictionary<string, string> Group { get; } = group;

        public long Events { get; set; }

        public SortedDictionary<string, decimal> Quantities { get; } = new(StringComparer.Ordinal);

        public SortedDictionary<string, decimal> Amounts { get; } = new(StringComparer.Ordinal);
    }
}
