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

    /// <summary>The fingerprint: <see cref="Prefix"/> and the SHA-256 of <see cref="Encode"/>, in hex.</summary>
    public static string Of(UsageEvent e)
    {
        var sb = builder ??= new StringBuilder(512);
        sb.Clear();
        Encode(sb, e);
        var text = sb.ToString();
        if (sb.Capacity > UsageEventWriter.MaxKeptBuffer)
        {
            builder = null; // a large event's encoding is not kept per thread
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var rented = System.Buffers.ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            SHA256.HashData(rented.AsSpan(0, Encoding.UTF8.GetBytes(text, rented)), hash);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }

        return Prefix + Convert.ToHexString(hash);
    }

    // One encoding buffer per thread, reused (an event's fingerprint is taken at every recording).
    [ThreadStatic]
    private static StringBuilder? builder;

    /// <summary>The canonical encoding: fields in a fixed order, maps in ordinal key order.</summary>
    public static string Encode(UsageEvent e)
    {
        var sb = new StringBuilder();
        Encode(sb, e);
        return sb.ToString();
    }

    private static void Encode(StringBuilder sb, UsageEvent e)
    {
        Text(sb, e.Id);
        Text(sb, e.Tenant);
        Text(sb, e.Subject);
        sb.Append(e.Instant.ToUnixTimeTicks().ToString(CultureInfo.InvariantCulture)).Append(';');
        Text(sb, e.Type);
        Text(sb, e.Model);
        Text(sb, e.KeyMode);
        Text(sb, e.Channel);
        Count(sb, e.Attributes.Count);
        foreach (var (k, v) in e.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            Text(sb, k);
            Text(sb, v);
        }

        Count(sb, e.Usage.Count);
        foreach (var (k, v) in e.Usage.OrderBy(u => u.Key, StringComparer.Ordinal))
        {
            Text(sb, k);
            Text(sb, DecimalText.Format(v));
        }

        if (e.Content is not { } c)
        {
            sb.Append('~');
            return;
        }

        sb.Append('c');
        Text(sb, c.InputText);
        Text(sb, c.OutputText);
        Text(sb, c.Language);
        Text(sb, c.Tokenizer);
        Count(sb, c.Images.Count);
        foreach (var image in c.Images)
        {
            sb.Append(image.Width.ToString(CultureInfo.InvariantCulture)).Append('x').Append(image.Height.ToString(CultureInfo.InvariantCulture)).Append(';');
        }
    }

    /// <summary>A null as '~'; a text as its length, ':', the text (so its content cannot be read as a boundary).</summary>
    private static void Text(StringBuilder sb, string? value)
    {
        if (value is null)
        {
            sb.Append('~');
            return;
        }

        sb.Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value);
    }

    private static void Count(StringBuilder sb, int count) => sb.Append('#').Append(count.ToString(CultureInfo.InvariantCulture)).Append(';');
}
