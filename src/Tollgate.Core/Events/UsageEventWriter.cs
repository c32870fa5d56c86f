using System.Text.Json;
using NodaTime.Text;

namespace Tollgate.Core.Events;

/// <summary>
/// Writes a usage event in its contract form (docs/usage-events.md), which <see cref="UsageEventParser"/> reads back
/// to the same event: the stored body of a recorded event, and what clients send.
/// </summary>
public static class UsageEventWriter
{
    /// <summary>ISO 8601 with the offset as written by people: 2025-03-01T10:00:00+08:00, or Z for UTC.</summary>
    private static readonly OffsetDateTimePattern TimePattern = OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss;FFFFFFFFFo<Z+HH:mm>");

    public static void Write(Utf8JsonWriter writer, UsageEvent e)
    {
        writer.WriteStartObject();
        writer.WriteString("id", e.Id);
        writer.WriteString("tenant", e.Tenant);
        if (e.Subject is not null)
        {
            writer.WriteString("subject", e.Subject);
        }

        writer.WriteString("time", TimePattern.Format(e.Time));
        writer.WriteString("type", e.Type);
        writer.WriteString("model", e.Model);
        writer.WriteString("key_mode", e.KeyMode);
        writer.WriteString("channel", e.Channel);
        if (e.Attributes.Count > 0)
        {
            writer.WriteStartObject("attributes");
            foreach (var (name, value) in e.Attributes)
            {
                writer.WriteString(name, value);
            }

            writer.WriteEndObject();
        }

        writer.WriteStartObject("usage");
        foreach (var (meter, quantity) in e.Usage)
        {
            writer.WriteNumber(meter, quantity);
        }

        writer.WriteEndObject();
        if (e.Content is { } content)
        {
            writer.WriteStartObject("content");
            WriteOptional(writer, "input_text", content.InputText);
            WriteOptional(writer, "output_text", content.OutputText);
            WriteOptional(writer, "language", content.Language);
            WriteOptional(writer, "tokenizer", content.Tokenizer);
            writer.WriteStartArray("images");
            foreach (var image in content.Images)
            {
                writer.WriteStartObject();
                writer.WriteNumber("width", image.Width);
                writer.WriteNumber("height", image.Height);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    // One buffer and writer per thread, reused: a new writer asks its buffer for 4 KB or more at its first write.
    [ThreadStatic]
    private static System.Buffers.ArrayBufferWriter<byte>? buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? threadWriter;

    /// <summary>The event's contract JSON, as UTF-8.</summary>
    public static byte[] WriteUtf8(UsageEvent e)
    {
        var output = buffer ??= new System.Buffers.ArrayBufferWriter<byte>(4096);
        output.ResetWrittenCount();
        var writer = threadWriter ??= new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        writer.Reset(output);
        Write(writer, e);
        writer.Flush();
        var json = output.WrittenSpan.ToArray();
        if (output.Capacity > MaxKeptBuffer)
        {
            // A large event's buffer is not kept: each thread would hold on to its largest event otherwise.
            (buffer, threadWriter) = (null, null);
        }

        return json;
    }

    /// <summary>The largest per-thread buffer kept for the next event (here and in <see cref="EventFingerprint"/>).</summary>
    internal const int MaxKeptBuffer = 64 * 1024;

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
