using NodaTime;

namespace Tollgate.Storage.Usage;

/// <summary>How usage is bucketed in time, in each tenant's zone: not at all, or by local hour, day or month.</summary>
public enum UsageBucket
{
    None,
    Hour,
    Day,
    Month,
}

/// <summary>
/// A usage question: whose (one tenant, or all when null), when (rollup hours starting in [From, To)), which events
/// (each filter null = any), grouped by which dimensions (<see cref="UsageStore.Dimensions"/>) and bucketed how.
/// </summary>
public sealed record UsageQuery(
    string? Tenant = null,
    Instant? From = null,
    Instant? To = null,
    string? Type = null,
    string? Model = null,
    string? Channel = null,
    string? Subject = null,
    string? KeyMode = null,
    IReadOnlyList<string>? GroupBy = null,
    UsageBucket Bucket = UsageBucket.None);

/// <summary>
/// One bucket of one group: its local label (2026-11-20T13:00+08:00, 2026-11-20, 2026-11; null without buckets), the
/// group's values, the number of events, quantity per meter and amount per unit.
/// </summary>
public sealed record UsageRow(
    string? Bucket,
    IReadOnlyDictionary<string, string> Group,
    long Events,
    IReadOnlyDictionary<string, decimal> Quantities,
    IReadOnlyDictionary<string, decimal> Amounts);
