using NodaTime;
using Tollgate.Client.Contracts;
using Tollgate.Server.Api;
using Tollgate.Server.Auth;
using Tollgate.Storage.Ledger;
using Tollgate.Storage.Usage;
using UsageQuery = Tollgate.Storage.Usage.UsageQuery;

namespace Tollgate.Server.Endpoints;

/// <summary>Usage and spend over time, from the hourly rollups: filtered, grouped and bucketed in each tenant's zone.</summary>
public static class UsageEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapGet("/usage", GetAsync).WithTags("Usage")
            .WithSummary("Usage and spend: filter by tenant, from, to (ISO 8601; whole local hours, whole local days with subject), type, model, channel, subject, key_mode; " +
                         "group_by any of tenant,type,model,channel,subject,key_mode; bucket hour, day or month (in each tenant's zone). A tenant key sees its own tenant.")
            .Produces<UsageReport>().ProducesProblem(400).ProducesProblem(404);
    }

    private static async Task<IResult> GetAsync(
        string? tenant, string? from, string? to, string? type, string? model, string? channel, string? subject,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "key_mode")] string? keyMode,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "group_by")] string? groupBy,
        string? bucket, HttpContext context, LedgerStore store, UsageStore usage, CancellationToken cancel)
    {
        var caller = Caller.Of(context);
        if (tenant is not null && await caller.CanReadExistingAsync(tenant, store, cancel) is { } denied)
        {
            return denied;
        }

        tenant ??= caller.IsOperator ? null : caller.Key.Tenant;
        var (fromMs, badFrom) = Validate.Time(from, "from");
        var (toMs, badTo) = Validate.Time(to, "to");
        if ((badFrom ?? badTo) is { } badTime)
        {
            return badTime;
        }

        if (fromMs is { } f && toMs is { } t && f >= t)
        {
            return Problems.Invalid("to", "must be after from");
        }

        var dimensions = string.IsNullOrEmpty(groupBy) ? [] : groupBy.Split(',', StringSplitOptions.TrimEntries);
        if (dimensions.FirstOrDefault(d => !UsageStore.Dimensions.ContainsKey(d)) is { } unknown)
        {
            return Problems.Invalid("group_by", $"cannot group by '{unknown}'; use any of {string.Join(", ", UsageStore.Dimensions.Keys)}");
        }

        if (dimensions.Distinct(StringComparer.Ordinal).Count() != dimensions.Length)
        {
            return Problems.Invalid("group_by", "names a dimension twice");
        }

        if (!Enum.TryParse<UsageBucket>(bucket ?? "none", ignoreCase: true, out var buckets) || bucket is not (null or "none" or "hour" or "day" or "month"))
        {
            return Problems.Invalid("bucket", $"'{bucket}' is not a bucket: none, hour, day or month");
        }

        var query = new UsageQuery(tenant, At(fromMs), At(toMs), type, model, channel, subject, keyMode, dimensions, buckets);
        if (buckets == UsageBucket.Hour && UsageStore.UsesSubjects(query))
        {
            return Problems.Invalid("bucket", "usage per end user (subject) is kept by day: use bucket day or month");
        }

        var rows = await usage.QueryAsync(query, cancel);
        return Results.Json(
            new UsageReport(buckets == UsageBucket.None ? null : bucket, dimensions, [.. rows.Select(r => new UsageReportRow(r.Bucket, r.Group, r.Events, r.Quantities, r.Amounts))]),
            Client.TollgateJson.Options);
    }

    private static Instant? At(long? ms) => ms is { } v ? Instant.FromUnixTimeMilliseconds(v) : null;
}
