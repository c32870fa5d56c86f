using CsCheck;
using NodaTime;
using Tollgate.Core.Events;

namespace Tollgate.Core.Tests.Events;

/// <summary>
/// The idempotency fingerprint is injective: two events have the same fingerprint exactly when they are equal
/// (issue 11, item 9). Texts are drawn from the characters an encoding could confuse with its own separators.
/// </summary>
public sealed class EventFingerprintTests
{
    // Separators, digits, and characters of two and three bytes in UTF-8.
    private static readonly Gen<string> Text = Gen.String[Gen.Char["a=\n:~#;1x é中"], 0, 4];

    private static readonly Gen<string?> MaybeText = Gen.Frequency((1, Gen.Const((string?)null)), (3, Text.Select(t => (string?)t)));

    private static readonly Gen<Dictionary<string, string>> Attributes = Gen.Dictionary(Text, Text)[0, 3];

    private static readonly Gen<Dictionary<string, decimal>> Usage =
        Gen.Dictionary(OneOf(Meters.InputTokens, Meters.OutputTokens, Meters.Calls), Gen.Int[0, 3].Select(i => i / 2m))[0, 2];

    private static readonly Gen<EventContent?> Content = Gen.Frequency(
        (1, Gen.Const((EventContent?)null)),
        (2, Gen.Select(MaybeText, MaybeText, MaybeText, Gen.Int[1, 2].Array[0, 2])
            .Select((i, o, l, sizes) => (EventContent?)new EventContent(i, o, l, null, [.. sizes.Select(s => new ImageSize(s, 3 - s))]))));

    private static readonly Gen<UsageEvent> Event =
        Gen.Select(OneOf("e1", "e1=", "e"), MaybeText, Gen.Int[0, 1], Text, Text, Attributes, Usage, Content)
            .Select((id, subject, minute, model, channel, attributes, usage, content) => new UsageEvent(
                id, "t", subject, new OffsetDateTime(new LocalDateTime(2026, 1, 1, 0, minute), Offset.Zero), "llm_text", model, "platform", channel, attributes, usage, content));

    /// <summary>
    /// The fingerprint by its definition, the way it was first written (stored fingerprints were made so): the prefix and
    /// the SHA-256, in hex, of the UTF-8 of the canonical encoding built as a text.
    /// </summary>
    internal static string Defined(UsageEvent e) =>
        EventFingerprint.Prefix + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Encoding(e))));

    private static string Encoding(UsageEvent e)
    {
        var sb = new System.Text.StringBuilder();
        void Text(string? value) => sb.Append(value is null ? "~" : $"{value.Length}:{value}");
        void Count(int count) => sb.Append('#').Append(count).Append(';');
        Text(e.Id);
        Text(e.Tenant);
        Text(e.Subject);
        sb.Append(e.Instant.ToUnixTimeTicks()).Append(';');
        Text(e.Type);
        Text(e.Model);
        Text(e.KeyMode);
        Text(e.Channel);
        Count(e.Attributes.Count);
        foreach (var (k, v) in e.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            Text(k);
            Text(v);
        }

        Count(e.Usage.Count);
        foreach (var (k, v) in e.Usage.OrderBy(u => u.Key, StringComparer.Ordinal))
        {
            Text(k);
            Text(Tollgate.Core.Money.DecimalText.Format(v));
        }

        if (e.Content is not { } c)
        {
            return sb.Append('~').ToString();
        }

        sb.Append('c');
        Text(c.InputText);
        Text(c.OutputText);
        Text(c.Language);
        Text(c.Tokenizer);
        Count(c.Images.Count);
        foreach (var image in c.Images)
        {
            sb.Append(image.Width).Append('x').Append(image.Height).Append(';');
        }

        return sb.ToString();
    }

    private static Gen<string> OneOf(params string[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    [Fact]
    public void Fingerprints_are_equal_exactly_when_events_are_equal()
    {
        Gen.Select(Event, Event).Sample((a, b) => Same(a, b) == (EventFingerprint.Of(a) == EventFingerprint.Of(b)), iter: 200_000);
    }

    [Fact]
    public void An_event_and_its_copy_have_one_fingerprint()
    {
        Event.Sample(e => EventFingerprint.Of(e) == EventFingerprint.Of(e with
        {
            Attributes = e.Attributes.Reverse().ToDictionary(),
            Usage = e.Usage.ToDictionary(u => u.Key, u => u.Value * 1.00m),
            Time = e.Time.WithOffset(Offset.FromHours(8)),
        }));
    }

    [Fact]
    public void A_fingerprint_is_the_sha256_of_the_encoding_so_stored_ones_still_match()
    {
        // Fingerprints are stored and compared with those of retries: the reused buffers must give the defined value,
        // whatever the texts hold (an emoji is two UTF-16 units; a long text outgrows any first buffer).
        var unicode = Gen.String[Gen.Char[" aé中\uD83D\uDE00"], 0, 3000].Select(s => s.Replace("\uD83D", "\uD83D\uDE00", StringComparison.Ordinal).Replace("\uDE00\uDE00", "\uDE00", StringComparison.Ordinal));
        Gen.Select(Event, unicode).Sample((e, text) =>
        {
            var withText = e with { Content = new EventContent(text, text, null, null, []) };
            return EventFingerprint.Of(withText) == Defined(withText);
        });

        // A lone surrogate is written as U+FFFD in both, one text at a time or the whole encoding at once.
        foreach (var lone in new[] { "\uD800", "a\uDC00b", "\uD83D", "x\uDE00" })
        {
            var e = TestEvents.Make("llm_text", lone, new Dictionary<string, decimal>(), content: new EventContent(lone, "\uDC00" + lone, null, null, []));
            Assert.Equal(Defined(e), EventFingerprint.Of(e));
        }
    }

    [Fact]
    public void The_issues_colliding_pairs_differ()
    {
        var a = TestEvents.Make("llm_text", "m", new Dictionary<string, decimal>(), content: new EventContent("hello\nworld ", "x", null, null, []));
        var b = a with { Content = new EventContent("hello", "world \nx", null, null, []) };
        Assert.NotEqual(EventFingerprint.Of(a), EventFingerprint.Of(b));
        var c = a with { Content = null, Attributes = new Dictionary<string, string> { ["k"] = "v\nz=1" } };
        var d = c with { Attributes = new Dictionary<string, string> { ["k"] = "v", ["z"] = "1" } };
        Assert.NotEqual(EventFingerprint.Of(c), EventFingerprint.Of(d));
    }

    private static bool Same(UsageEvent a, UsageEvent b) =>
        a.Id == b.Id && a.Tenant == b.Tenant && a.Subject == b.Subject && a.Instant == b.Instant && a.Type == b.Type && a.Model == b.Model
        && a.KeyMode == b.KeyMode && a.Channel == b.Channel
        && a.Attributes.Count == b.Attributes.Count && a.Attributes.All(p => b.Attributes.TryGetValue(p.Key, out var v) && v == p.Value)
        && a.Usage.Count == b.Usage.Count && a.Usage.All(p => b.Usage.TryGetValue(p.Key, out var v) && v == p.Value)
        && SameContent(a.Content, b.Content);

    private static bool SameContent(EventContent? a, EventContent? b) =>
        a is null || b is null
            ? a is null && b is null
            : a.InputText == b.InputText && a.OutputText == b.OutputText && a.Language == b.Language && a.Tokenizer == b.Tokenizer && a.Images.SequenceEqual(b.Images);
}
