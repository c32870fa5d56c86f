using Tollgate.Core.Calendar;
using Tollgate.Core.Events;

namespace Tollgate.Server.Api;

/// <summary>Field checks shared by the endpoints; each returns the problem, or null when the value is fine.</summary>
public static class Validate
{
    public const int MaxIdLength = TextRules.MaxIdLength;

    /// <summary>The longest user id or key name; user names and adjustment reasons may have 500 characters.</summary>
    public const int MaxTextLength = 200;

    /// <summary>The largest amount any request may carry: the ledger's largest single amount, 10^15 (docs/ledger.md).</summary>
    public const decimal MaxAmount = Core.Money.LedgerAmount.MaxAmount;

    /// <summary>An id of a tenant, event, hold or top-up: one syntax for all (<see cref="TextRules.IdSyntax"/>), reachable by its URL.</summary>
    public static IResult? Id(string? value, string field)
    {
        if (string.IsNullOrEmpty(value))
        {
            return Problems.BadRequest(Problems.MissingField, $"'{field}' is required", field);
        }

        return TextRules.IdError(value) is { } error ? Problems.Invalid(field, error) : null;
    }

    /// <summary>Free text (user ids, names, reasons): no control characters, at most <paramref name="maxLength"/> characters.</summary>
    public static IResult? Text(string? value, string field, int maxLength = MaxTextLength, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return required ? Problems.BadRequest(Problems.MissingField, $"'{field}' is required", field) : null;
        }

        return TextRules.TextError(value, maxLength) is { } error ? Problems.Invalid(field, $"'{field}' {error}") : null;
    }

    /// <summary>A time a request carries (an expiry, a cycle) inside the supported range.</summary>
    public static IResult? Supported(NodaTime.Instant? time, string field) =>
        time is { } t && !SupportedTimes.Contains(t)
            ? Problems.BadRequest(SupportedTimes.OutOfRange, $"'{field}' is outside the supported times, {SupportedTimes.Description}", field)
            : null;

    /// <summary>A name used in paths and keys (tenant ids, units): letters, digits, '-', '_', '.', ':' and '@'.</summary>
    public static IResult? Name(string? value, string field)
    {
        if (string.IsNullOrEmpty(value))
        {
            return Problems.BadRequest(Problems.MissingField, $"'{field}' is required", field);
        }

        return value.Length > UsageEventParser.MaxNameLength || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '@')
            ? Problems.Invalid(field, $"'{value}' must be 1 to {UsageEventParser.MaxNameLength} letters, digits, '-', '_', '.', ':' or '@'")
            : null;
    }

    /// <summary>A positive amount, at most <see cref="MaxAmount"/>, with at most 8 decimal places (the ledger's precision).</summary>
    public static IResult? Amount(decimal? value, string field, bool allowZero = false, bool allowNegative = false)
    {
        if (value is not { } v)
        {
            return Problems.BadRequest(Problems.MissingField, $"'{field}' is required", field);
        }

        if (!allowNegative && (v < 0m || (!allowZero && v == 0m)))
        {
            return Problems.Invalid(field, allowZero ? "must not be negative" : "must be greater than zero");
        }

        if (Math.Abs(v) > MaxAmount)
        {
            return Problems.Invalid(field, $"must be at most {MaxAmount}");
        }

        return decimal.Round(v, 8) != v ? Problems.Invalid(field, "has more than 8 decimal places, the ledger's precision") : null;
    }

    /// <summary>The field of the first of several checks that failed, or null.</summary>
    public static IResult? First(params IResult?[] checks) => checks.FirstOrDefault(c => c is not null);

    /// <summary>An ISO 8601 time with an offset from a query string, as unix milliseconds; null when absent.</summary>
    public static (long? UnixMs, IResult? Problem) Time(string? text, string field)
    {
        if (text is null)
        {
            return (null, null);
        }

        if (IsoTime.Parse(text) is not { } time)
        {
            return (null, Problems.Invalid(field, $"'{TextRules.Shown(text)}' is not an ISO 8601 time with an offset, such as 2025-03-01T00:00:00+08:00"));
        }

        return SupportedTimes.Contains(time)
            ? (time.ToInstant().ToUnixTimeMilliseconds(), null)
            : (null, Problems.BadRequest(SupportedTimes.OutOfRange, $"'{field}' is outside the supported times, {SupportedTimes.Description}", field));
    }
}
