using System.Globalization;
using CsCheck;
using NodaTime;
using NodaTime.Text;
using Tollgate.Core.Calendar;

namespace Tollgate.Core.Tests.Calendar;

/// <summary>
/// The direct reading of the common time shape gives what NodaTime's ISO pattern gives, and declines the rest; an offset
/// NodaTime cannot hold is a text that does not parse, where the pattern throws.
/// </summary>
public sealed class IsoTimeTests
{
    /// <summary>The pattern's answer, with its exception for an offset past ±18:00 read as a failed parse.</summary>
    private static OffsetDateTime? Reference(string text)
    {
        try
        {
            return OffsetDateTimePattern.ExtendedIso.Parse(text) is { Success: true } parsed ? parsed.Value : null;
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Times in the common shape, with days and offsets past their ranges, fractions of 0 to 10 digits, either sign.</summary>
    private static readonly Gen<string> CommonShape =
        Gen.Select(Gen.Int[0, 9999], Gen.Int[0, 13], Gen.Int[0, 32], Gen.Int[0, 24], Gen.Int[0, 60], Gen.Int[0, 60])
            .SelectMany(t => Gen.Select(Gen.Int[0, 10], Gen.Int[0, 999_999_999], Gen.Int[0, 2].Select(k => k == 0 ? "Z" : k == 1 ? "+" : "-"), Gen.Int[0, 19], Gen.Int[0, 60]),
                (t, f) => Format(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, t.Item6, f.Item1, f.Item2, f.Item3, f.Item4, f.Item5));

    [Fact]
    public void TryParseCommon_AgreesWithTheIsoPattern_OnTheCommonShape()
    {
        CommonShape.Sample(text =>
        {
            var reference = Reference(text);
            var fast = IsoTime.TryParseCommon(text);

            // Every text the pattern accepts in this shape is read directly, to the same value and offset.
            Assert.Equal(reference, fast);
            Assert.Equal(reference?.Offset, fast?.Offset);
        }, iter: 20_000);
    }

    [Fact]
    public void Parse_AgreesWithTheIsoPattern_OnAnyText()
    {
        // The common shape with one character replaced, dropped or added, and short random texts: the direct reading may
        // decline, but what it accepts the pattern accepts with the same value, and Parse answers as the pattern does.
        var mutated = Gen.Select(CommonShape, Gen.Int[0, 40], Gen.Char["0123456789:+-.,TZtz "], Gen.Int[0, 2])
            .Select((text, at, c, how) => Mutate(text, at, c, how));
        Gen.OneOf(mutated, Gen.String[Gen.Char["0123456789:+-.TZ"], 0, 32]).Sample(text =>
        {
            var reference = Reference(text);
            if (IsoTime.TryParseCommon(text) is { } fast)
            {
                Assert.Equal(reference, fast);
            }

            Assert.Equal(reference, IsoTime.Parse(text));
        }, iter: 20_000);
    }

    [Theory]
    [InlineData("2025-03-01T09:30:00Z")]
    [InlineData("2025-03-01T09:30:00.5+08:00")]
    [InlineData("2024-02-29T23:59:59.123456789-05:30")]
    [InlineData("2025-03-01T09:30:00+18:00")]
    public void TryParseCommon_ReadsTheShapesClientsSend(string text) =>
        Assert.Equal(OffsetDateTimePattern.ExtendedIso.Parse(text).Value, IsoTime.TryParseCommon(text));

    [Theory]
    [InlineData("2025-03-01T09:30:00+08")] // no minutes: the pattern reads it
    [InlineData("2025-03-01T09:30:00,5Z")] // a comma before the fraction: the pattern reads it
    [InlineData("2025-02-29T09:30:00Z")] // no such day
    [InlineData("2025-03-01T09:30:00.1234567891Z")] // ten digits
    [InlineData("2025-03-01 09:30:00Z")]
    public void TryParseCommon_LeavesOtherTextsToThePattern(string text)
    {
        Assert.Null(IsoTime.TryParseCommon(text));
        Assert.Equal(Reference(text), IsoTime.Parse(text));
    }

    [Theory]
    [InlineData("2025-03-01T09:30:00+18:01")]
    [InlineData("2025-03-01T09:30:00-19:00")]
    [InlineData("2025-03-01T09:30:00+19")]
    public void Parse_AnOffsetPastEighteenHours_IsNotATime(string text)
    {
        // NodaTime's pattern throws ArgumentOutOfRangeException here, which was a 500 for an event or a query with it.
        Assert.Throws<ArgumentOutOfRangeException>(() => OffsetDateTimePattern.ExtendedIso.Parse(text));
        Assert.Null(IsoTime.Parse(text));
    }

    private static string Format(int year, int month, int day, int hour, int minute, int second, int digits, int fraction, string sign, int offsetHours, int offsetMinutes)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{year:D4}-{month:D2}-{day:D2}T{hour:D2}:{minute:D2}:{second:D2}");
        if (digits > 0)
        {
            text += "." + fraction.ToString("D9", CultureInfo.InvariantCulture)[..Math.Min(digits, 9)] + (digits > 9 ? "7" : string.Empty);
        }

        return text + (sign == "Z" ? "Z" : string.Create(CultureInfo.InvariantCulture, $"{sign}{offsetHours:D2}:{offsetMinutes:D2}"));
    }

    private static string Mutate(string text, int at, char c, int how)
    {
        at = Math.Min(at, text.Length - 1);
        return how switch
        {
            0 => text[..at] + c + text[(at + 1)..],
            1 => text[..at] + text[(at + 1)..],
            _ => text[..at] + c + text[at..],
        };
    }
}
