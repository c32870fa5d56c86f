namespace Tollgate.Core.Events;

/// <summary>
/// The one set of rules for text a client sends, applied by every parser and endpoint so no engine sees text the
/// other would refuse (PostgreSQL cannot store NUL; SQLite can): documented in docs/security.md.
/// </summary>
public static class TextRules
{
    /// <summary>The longest id (tenants, events, holds, top-ups) and the longest name or short text.</summary>
    public const int MaxIdLength = 128;

    /// <summary>
    /// Ids are used as URL path segments, so they are what a segment can carry unchanged: a letter or digit first
    /// (so never '.' or '..'), then letters, digits, '.', '_', ':', '@' or '-'.
    /// </summary>
    public const string IdSyntax = "a letter or digit, then up to 127 letters, digits, '.', '_', ':', '@' or '-'";

    /// <summary>Null when <paramref name="value"/> is a valid id; else why not.</summary>
    public static string? IdError(string value)
    {
        if (value.Length is 0 or > MaxIdLength || !char.IsAsciiLetterOrDigit(value[0]))
        {
            return $"'{Shown(value)}' is not an id: {IdSyntax}";
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or ':' or '@' or '-'))
            {
                return $"'{Shown(value)}' is not an id: {IdSyntax}";
            }
        }

        return null;
    }

    /// <summary>
    /// Null when <paramref name="value"/> is text Tollgate stores: at most <paramref name="maxLength"/> characters,
    /// no control characters (NUL included; line breaks and tabs only where <paramref name="multiline"/>), no
    /// unpaired UTF-16 surrogates; else why not.
    /// </summary>
    public static string? TextError(string value, int maxLength, bool multiline = false)
    {
        if (value.Length > maxLength)
        {
            return $"is longer than {maxLength} characters";
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t'))
            {
                return $"contains the control character U+{(int)c:X4} at position {i}";
            }

            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return $"contains an unpaired UTF-16 surrogate at position {i}";
            }
        }

        return null;
    }

    /// <summary>A value as it may be echoed in an error: control characters escaped, cut short.</summary>
    public static string Shown(string value)
    {
        var cut = value.Length > 40 ? value[..40] + "..." : value;
        return string.Concat(cut.Select(c => char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString()));
    }
}
