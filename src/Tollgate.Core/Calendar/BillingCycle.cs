using NodaTime;

namespace Tollgate.Core.Calendar;

/// <summary>
/// One billing cycle of a tenant: local dates [<see cref="Start"/>, <see cref="End"/>) in its time zone, and the
/// instants they begin and end at. A daily cycle lasts 23 or 25 hours on the days clocks change.
/// </summary>
public sealed record BillingCycle(BillingPeriod Period, LocalDate Start, LocalDate End, Instant StartsAt, Instant EndsAt)
{
    /// <summary>The cycle holding <paramref name="instant"/> in <paramref name="timeZone"/>.</summary>
    public static BillingCycle Of(Instant instant, string timeZone, BillingPeriod period) =>
        Starting(First(instant.InZone(TenantCalendar.Zone(timeZone)).Date, period), timeZone, period);

    /// <summary>The cycle that begins on <paramref name="start"/> (a first of month for monthly cycles).</summary>
    public static BillingCycle Starting(LocalDate start, string timeZone, BillingPeriod period)
    {
        if (First(start, period) != start)
        {
            throw new ArgumentException($"a {period} cycle cannot start on {start:uuuu-MM-dd}", nameof(start));
        }

        var zone = TenantCalendar.Zone(timeZone);
        var end = period == BillingPeriod.Monthly ? start.PlusMonths(1) : start.PlusDays(1);
        return new BillingCycle(period, start, end, zone.AtStartOfDay(start).ToInstant(), zone.AtStartOfDay(end).ToInstant());
    }

    /// <summary>The cycle after this one, in the same zone.</summary>
    public BillingCycle Next(string timeZone) => Starting(End, timeZone, Period);

    /// <summary>The first day of the cycle holding <paramref name="date"/>.</summary>
    public static LocalDate First(LocalDate date, BillingPeriod period) =>
        period == BillingPeriod.Monthly ? new LocalDate(date.Year, date.Month, 1) : date;
}
