using NodaTime;

namespace Tollgate.Core.Calendar;

/// <summary>
/// The times Tollgate accepts: from 1970-01-01 to 9000-01-01 UTC. Far enough for any real event, cycle or expiry,
/// and far enough inside NodaTime's range (to the end of 9999) that adding a cycle, a day of rollups or a time
/// zone offset can never overflow.
/// </summary>
public static class SupportedTimes
{
    public const string OutOfRange = "time_out_of_range";

    public static readonly Instant Min = Instant.FromUtc(1970, 1, 1, 0, 0);

    public static readonly Instant Max = Instant.FromUtc(9000, 1, 1, 0, 0);

    public const string Description = "from 1970-01-01 to 9000-01-01 UTC";

    public static bool Contains(Instant instant) => instant >= Min && instant < Max;

    /// <summary>Checked on the local year first: near the ends of the calendar, converting to an instant itself overflows.</summary>
    public static bool Contains(OffsetDateTime time) => time.Year is >= 1969 and <= 9000 && Contains(time.ToInstant());

    public static bool Contains(LocalDate date) => date.Year is >= 1970 and < 9000;
}
