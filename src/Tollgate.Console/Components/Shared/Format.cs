using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace Tollgate.WebConsole.Components.Shared;

/// <summary>How the console writes numbers and times: invariant decimals (never floating point), local times in the tenant's zone.</summary>
public static class Format
{
    private static readonly LocalDateTimePattern Local = LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm:ss");

    public static string N(decimal value) => value.ToString("0.##########", CultureInfo.InvariantCulture);

    /// <summary>Grouped thousands for the eye; tables that tests read use <see cref="N"/>.</summary>
    public static string Grouped(decimal value) => value.ToString("#,0.##########", CultureInfo.InvariantCulture);

    public static string Time(long unixMs, string zone) =>
        Local.Format(Instant.FromUnixTimeMilliseconds(unixMs).InZone(DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone) ?? DateTimeZone.Utc).LocalDateTime);

    public static string Time(Instant instant, string zone) => Time(instant.ToUnixTimeMilliseconds(), zone);

    public static string? Expiry(long? unixMs, string zone) => unixMs is { } ms ? Time(ms, zone) : null;

    /// <summary>A stored account scope ({"Types":[],"Models":["m"],"Channels":[]}) as words: "models: m", or "anything".</summary>
    public static string Scope(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        var parts = document.RootElement.EnumerateObject()
            .Where(p => p.Value.ValueKind == System.Text.Json.JsonValueKind.Array && p.Value.GetArrayLength() > 0)
            .Select(p => $"{p.Name.ToLowerInvariant()}: {string.Join(", ", p.Value.EnumerateArray().Select(v => v.ToString()))}")
            .ToList();
        return parts.Count == 0 ? "anything" : string.Join("; ", parts);
    }
}
