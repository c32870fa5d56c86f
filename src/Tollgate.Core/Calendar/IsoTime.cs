using NodaTime;
using NodaTime.Text;

namespace Tollgate.Core.Calendar;

/// <summary>
/// An ISO 8601 date and time with an offset (an event's time, a query's range, a price book version's start), as
/// NodaTime's <see cref="OffsetDateTimePattern.ExtendedIso"/> reads it, except that an offset past ±18:00 is a text
/// that does not parse instead of an exception. The shape nearly every client sends, <c>2025-03-01T09:30:00.123Z</c>
/// or <c>...+08:00</c>, is read directly; any other text goes to the pattern.
/// </summary>
/// <remarks>
/// The pattern's general parser was about half of the time spent parsing a batch's events (docs/benchmarks.md, fifth
/// pass). A property test checks that both give the same result for every text the direct reading accepts.
/// </remarks>
public static class IsoTime
{
    private static readonly OffsetDateTimePattern Pattern = OffsetDateTimePattern.ExtendedIso;

    /// <summary>Reads <paramref name="text"/>; null when it is not an ISO 8601 time with an offset NodaTime can hold.</summary>
    public static OffsetDateTime? Parse(string text)
    {
        if (TryParseCommon(text) is { } common)
        {
            return common;
        }

        try
        {
            return Pattern.Parse(text) is { Success: true } parsed ? parsed.Value : null;
        }
        catch (ArgumentOutOfRangeException)
        {
            // NodaTime 3 throws for an offset it cannot hold (+19:00) instead of failing the parse.
            return null;
        }
    }

    /// <summary>
    /// <c>yyyy-MM-ddTHH:mm:ss</c>, then optionally <c>.</c> and 1 to 9 digits, then <c>Z</c> or <c>±HH:mm</c>; null for
    /// anything else (left to the pattern), including values out of range.
    /// </summary>
    internal static OffsetDateTime? TryParseCommon(string text)
    {
        var s = text.AsSpan();
        if (s.Length < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':'
            || !Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day)
            || !Digits(s, 11, 2, out var hour) || !Digits(s, 14, 2, out var minute) || !Digits(s, 17, 2, out var second))
        {
            return null;
        }

        var i = 19;
        var nanoseconds = 0;
        if (s[i] == '.')
        {
            var start = ++i;
            while (i < s.Length && i - start < 9 && char.IsAsciiDigit(s[i]))
            {
                nanoseconds = (nanoseconds * 10) + (s[i++] - '0');
            }

            if (i == start || (i < s.Length && char.IsAsciiDigit(s[i])))
            {
                return null; // no digit, or more than nine
            }

            for (var scale = i - start; scale < 9; scale++)
            {
                nanoseconds *= 10;
            }
        }

        Offset offset;
        if (i == s.Length - 1 && s[i] == 'Z')
        {
            offset = Offset.Zero;
        }
        else if (i == s.Length - 6 && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':'
                 && Digits(s, i + 1, 2, out var offsetHours) && Digits(s, i + 4, 2, out var offsetMinutes)
                 && offsetHours <= 18 && offsetMinutes <= 59 && (offsetHours < 18 || offsetMinutes == 0))
        {
            var sign = s[i] == '-' ? -1 : 1;
            offset = Offset.FromSeconds(sign * ((offsetHours * 3600) + (offsetMinutes * 60)));
        }
        else
        {
            return null;
        }

        if (month is < 1 or > 12 || day < 1 || day > CalendarSystem.Iso.GetDaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return null;
        }

        return new OffsetDateTime(new LocalDateTime(year, month, day, hour, minute, second).PlusNanoseconds(nanoseconds), offset);
    }

    private static bool Digits(ReadOnlySpan<char> s, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(s[i]))
            {
                return false;
            }

            value = (value * 10) + (s[i] - '0');
        }

        return true;
    }
}
