using System.Buffers;
using System.Text;

namespace Tollgate.Gateway.Upstreams;

/// <summary>
/// Reads server-sent events (text/event-stream) one event at a time, as bytes: an event's raw bytes are relayed as
/// they came, and its data is parsed as UTF-8 JSON where it lies, with no text decoded in between. Lines end with LF,
/// CRLF or CR; a leading byte order mark is skipped, as the format says.
/// </summary>
public sealed class SseReader(Stream stream) : IDisposable
{
    private const int InitialSize = 4096;

    /// <summary>The longest event read: past it the upstream is treated as broken, not buffered without end.</summary>
    public const int MaxEventBytes = 16 << 20;

    private byte[] buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
    private readonly ArrayBufferWriter<byte> data = new(256);
    private int start;     // the first byte of the event being read (bytes before it are consumed)
    private int end;       // one past the last byte read from the stream
    private bool ended;    // the stream has no more bytes
    private bool begun;    // the stream's first bytes have been checked for a byte order mark
    private byte[] lastNameBytes = [];
    private string? lastName;

    /// <summary>The next event, or null at the end of the stream (a last event without its blank line still counts).</summary>
    public async ValueTask<SseEvent?> ReadAsync(CancellationToken cancel)
    {
        if (!begun)
        {
            await SkipByteOrderMarkAsync(cancel);
        }

        data.ResetWrittenCount();
        string? name = null;
        var dataLines = 0;
        var scan = start; // where the next line of this event starts
        while (true)
        {
            var line = FindLine(scan, out var next);
            if (line < 0)
            {
                if (!ended)
                {
                    scan -= await FillAsync(cancel);
                    continue;
                }

                if (end == start)
                {
                    return null;
                }

                // The stream ended inside an event: end its last line and the event, so the client still gets it.
                EnsureRoom(2);
                if (scan < end)
                {
                    buffer[end++] = (byte)'\n';
                    Field(buffer.AsSpan(scan, end - 1 - scan), ref name, ref dataLines);
                }

                buffer[end++] = (byte)'\n';
                return Take(end, name);
            }

            var content = buffer.AsSpan(scan, line - scan);
            if (content.IsEmpty)
            {
                if (scan == start)
                {
                    start = scan = next; // blank lines between events belong to none
                    continue;
                }

                return Take(next, name);
            }

            Field(content, ref name, ref dataLines);
            scan = next;
        }
    }

    /// <summary>
    /// Whether the next event is already in the buffer whole, so that reading it will not wait for the upstream (at the
    /// stream's end, whether an event is left at all: blank lines are none).
    /// </summary>
    public bool HasEventBuffered
    {
        get
        {
            var scan = start;
            var content = false;
            while (FindLine(scan, out var next) is var line and >= 0)
            {
                if (line == scan && content)
                {
                    return true;
                }

                content |= line > scan;
                scan = next;
            }

            return ended && (content || scan < end);
        }
    }

    public void Dispose()
    {
        stream.Dispose();
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = [];
        }
    }

    private async ValueTask SkipByteOrderMarkAsync(CancellationToken cancel)
    {
        while (end < 3 && !ended)
        {
            await FillAsync(cancel);
        }

        if (buffer.AsSpan(0, end).StartsWith("\uFEFF"u8))
        {
            start = 3;
        }

        begun = true;
    }

    private SseEvent Take(int eventEnd, string? name)
    {
        var raw = buffer.AsMemory(start, eventEnd - start);
        start = eventEnd;
        return new SseEvent(raw, name, data.WrittenMemory);
    }

    private void Field(ReadOnlySpan<byte> line, ref string? name, ref int dataLines)
    {
        if (line.StartsWith("data:"u8))
        {
            if (dataLines++ > 0)
            {
                data.Write("\n"u8);
            }

            data.Write(line[(line.Length > 5 && line[5] == (byte)' ' ? 6 : 5)..]);
        }
        else if (line.StartsWith("event:"u8))
        {
            // A stream names most of its events alike (content_block_delta, ...): the last name's text is kept.
            var value = line[6..];
            if (!value.SequenceEqual(lastNameBytes))
            {
                lastNameBytes = value.ToArray();
                lastName = Encoding.UTF8.GetString(value).Trim();
            }

            name = lastName;
        }
    }

    /// <summary>
    /// The end of the line that starts at <paramref name="from"/> (its terminator excluded) and where the next line
    /// starts, or -1 when the buffer does not hold the whole line yet (a CR at its end may be the first half of a CRLF).
    /// </summary>
    private int FindLine(int from, out int next)
    {
        next = -1;
        var at = buffer.AsSpan(from, end - from).IndexOfAny((byte)'\n', (byte)'\r');
        if (at < 0)
        {
            return -1;
        }

        var lineEnd = from + at;
        if (buffer[lineEnd] == (byte)'\n')
        {
            next = lineEnd + 1;
        }
        else if (lineEnd + 1 < end)
        {
            next = buffer[lineEnd + 1] == (byte)'\n' ? lineEnd + 2 : lineEnd + 1;
        }
        else if (ended)
        {
            next = lineEnd + 1;
        }
        else
        {
            return -1;
        }

        return lineEnd;
    }

    /// <summary>Reads more of the stream after the event being read, moving that event to the buffer's start first; returns how far it moved.</summary>
    private async ValueTask<int> FillAsync(CancellationToken cancel)
    {
        var moved = start;
        if (start > 0)
        {
            buffer.AsSpan(start, end - start).CopyTo(buffer);
            end -= start;
            start = 0;
        }

        if (end >= MaxEventBytes)
        {
            throw new IOException($"the upstream sent an event longer than {MaxEventBytes} bytes");
        }

        EnsureRoom(InitialSize / 4);
        var read = await stream.ReadAsync(buffer.AsMemory(end), cancel);
        ended = read == 0;
        end += read;
        return moved;
    }

    private void EnsureRoom(int bytes)
    {
        if (buffer.Length - end < bytes)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(buffer.Length * 2, end + bytes));
            buffer.AsSpan(0, end).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = larger;
        }
    }
}
