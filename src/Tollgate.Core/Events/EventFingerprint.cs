using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Tollgate.Core.Money;

namespace Tollgate.Core.Events;

/// <summary>
/// The idempotency fingerprint of a usage event: the same id with the same body is a duplicate, with another body a
/// conflict. The encoding is injective: every text is written with its length (and a null apart from an empty
/// text), every list with its count, so no two different events encode alike, whatever characters their texts hold
/// (a plain separator would make "a\nb"/"c" and "a"/"b\nc" equal).
/// </summary>
public static class EventFingerprint
{
    /// <summary>Marks fingerprints of this encoding, so a store can tell them from an older one's.</summary>
    public const string Prefix = "v2:";

    /// <summary>
    /// The fingerprint: <see cref="Prefix"/> and the SHA-256, in hex, of the canonical encoding in UTF-8: the fields in a
    /// fixed order, maps in ordinal key order, each text as its length in UTF-16 code units, ':' and the text, a null
    /// as '~', each count as '#', the count and ';'.
    /// </summary>
    /// <remarks>
    /// Written as UTF-8 straight into a buffer kept per thread and hashed there: building the text first, then its
    /// bytes, was 7% of what a batch's recording allocated. Lone surrogates become U+FFFD as they did in the text.
    /// </remarks>
    public static string Of(UsageEvent e)
    {
        var output = buffer ??= new ArrayBufferWriter<byte>(512);
        output.ResetWrittenCount();
        Encode(output, e);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(output.WrittenSpan, hash);
        if (output.Capacity > UsageEventWriter.MaxKeptBuffer)
        {
            buffer = null; // a large event's encoding is not kept per thread
        }

        return Prefix + Convert.ToHexString(hash);
    }

    // One encoding buffer per thread, reused (an event's fingerprint is taken at every recording).
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? buffer;

    private static void Encode(ArrayBufferWriter<byte> o, UsageEvent e)
    {
        Text(o, e.Id);
        Text(o, e.Tenant);
        Text(o, e.Subject);
        Number(o, e.Instant.ToUnixTimeTicks());
        Ascii(o, ';');
        Text(o, e.Type);
        Text(o, e.Model);
        Text(o, e.KeyMode);
        Text(o, e.Channel);
        Count(o, e.Attributes.Count);
        foreach (var key in Sorted(e.Attributes.Keys, e.Attributes.Count))
        {
            Text(o, key);
            Text(o, e.Attributes[key]);
        }

        Count(o, e.Usage.Count);
        foreach (var key in Sorted(e.Usage.Keys, e.Usage.Count))
        {
            Text(o, key);
            Text(o, DecimalText.Format(e.Usage[key]));
        }

        if (e.Content is not { } c)
        {
            Ascii(o, '~');
            return;
        }

        Ascii(o, 'c');
        Text(o, c.InputText);
        Text(o, c.OutputText);
        Text(o, c.Language);
        Text(o, c.Tokenizer);
        Count(o, c.Images.Count);
        foreach (var image in c.Images)
        {
            Number(o, image.Width);
            Ascii(o, 'x');
            Number(o, image.Height);
            Ascii(o, ';');
        }
    }

    /// <summary>The keys in ordinal order; a map of one key (most attribute and usage maps are small) is not copied.</summary>
    private static IEnumerable<string> Sorted(IEnumerable<string> keys, int count)
    {
        if (count <= 1)
        {
            return keys;
        }

        var sorted = keys.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        return sorted;
    }

    /// <summary>A null as '~'; a text as its length, ':', the text (so its content cannot be read as a boundary).</summary>
    private static void Text(ArrayBufferWriter<byte> o, string? value)
    {
        if (value is null)
        {
            Ascii(o, '~');
            return;
        }

        Number(o, value.Length);
        Ascii(o, ':');
        o.Advance(Encoding.UTF8.GetBytes(value, o.GetSpan(Encoding.UTF8.GetMaxByteCount(value.Length))));
    }

    private static void Count(ArrayBufferWriter<byte> o, int count)
    {
        Ascii(o, '#');
        Number(o, count);
        Ascii(o, ';');
    }

    private static void Number(ArrayBufferWriter<byte> o, long value)
    {
        value.TryFormat(o.GetSpan(20), out var written, default, CultureInfo.InvariantCulture);
        o.Advance(written);
    }

    private static void Ascii(ArrayBufferWriter<byte> o, char c)
    {
        o.GetSpan(1)[0] = (byte)c;
        o.Advance(1);
    }
}
