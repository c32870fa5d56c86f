using NodaTime;

namespace Tollgate.Core.Calendar;

/// <summary>Billing days in a tenant's time zone (IANA, via NodaTime's TZDB): days of 23 or 25 hours included.</summary>
public static class TenantCalendar
{
    public static DateTimeZone Zone(string timeZone) =>
        DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZone) ?? throw new ArgumentException($"'{timeZone}' is not an IANA time zone", nameof(timeZone));

    public static bool IsKnownZone(string timeZone) => DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZone) is not null;

    /// <summary>The local date of an instant in the tenant's zone.</summary>
    public static LocalDate Day(Instant instant, string timeZone) => instant.InZone(Zone(timeZone)).Date;

    /// <summary>The instant the tenant's day containing <paramref name="instant"/> began (its local midnight, or the first valid time after it).</summary>
    public static Instant DayStart(Instant instant, string timeZone) => DayStart(instant, Zone(timeZone));

    public static Instant DayStart(Instant instant, DateTimeZone zone) => zone.AtStartOfDay(instant.InZone(zone).Date).ToInstant();

    /// <summary>
    /// The instant the local hour holding <paramref name="instant"/> began: the bucket of usage rollups, so that local
    /// days and months (also in zones 30 or 45 minutes off UTC) are whole numbers of buckets.
    /// </summary>
    public static Instant HourStart(Instant instant, DateTimeZone zone)
    {
        var local = instant.InZone(zone).TimeOfDay;
        return instant - Duration.FromTicks(local.TickOfDay % NodaConstants.TicksPerHour);
    }
}
