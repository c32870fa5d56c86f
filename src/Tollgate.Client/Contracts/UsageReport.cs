namespace Tollgate.Client.Contracts;

/// <summary>Usage and spend, summed from the rollups: one row per bucket and group.</summary>
public sealed record UsageReport(string? Bucket, IReadOnlyList<string> GroupBy, IReadOnlyList<UsageReportRow> Rows);

/// <param name="Bucket">The bucket's local label in the tenant's zone (2026-11-20T13:00+08:00, 2026-11-20, 2026-11), null without buckets.</param>
/// <param name="Group">The row's value of each group_by dimension.</param>
/// <param name="Quantities">Meter -> quantity.</param>
/// <param name="Amounts">Unit -> amount charged.</param>
public sealed record UsageReportRow(
    string? Bucket,
    IReadOnlyDictionary<string, string> Group,
    long Events,
    IReadOnlyDictionary<string, decimal> Quantities,
    IReadOnlyDictionary<string, decimal> Amounts);

/// <summary>A usage question; every field is optional (null = any).</summary>
/// <param name="Bucket">none, hour, day or month, in each tenant's zone.</param>
/// <param name="GroupBy">Any of tenant, type, model, channel, subject, key_mode.</param>
public sealed record UsageQuery(
    string? Tenant = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? Type = null,
    string? Model = null,
    string? Channel = null,
    string? Subject = null,
    string? KeyMode = null,
    IReadOnlyList<string>? GroupBy = null,
    string? Bucket = null);
