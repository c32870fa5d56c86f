using System.Text;

namespace Tollgate.Gateway.Upstreams;

/// <summary>Reads server-sent events (text/event-stream) one event at a time, keeping each event's raw text to relay it unchanged.</summary>
public sealed class SseReader(Stream stream) : IDisposable
{
    private readonly StreamReader reader = new(stream, Encoding.UTF8);

    // One event is read at a time: its raw text and its data are built in the same two builders for every event.
    private readonly StringBuilder raw = new();
    private readonly StringBuilder data = new();

    /// <summary>The next event, or null at the end of the stream (a last event without its blank line still counts).</summary>
    public async Task<SseEvent?> ReadAsync(CancellationToken cancel)
    {
        raw.Clear();
        data.Clear();
        string? name = null;
        while (await reader.ReadLineAsync(cancel) is { } line)
        {
            if (line.Length == 0)
            {
                if (raw.Length == 0)
                {
                    continue;
                }

                raw.Append('\n');
                return new SseEvent(raw.ToString(), name, data.ToString());
            }

            raw.Append(line).Append('\n');
            if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                if (data.Length > 0)
                {
                    data.Append('\n');
                }

                data.Append(line.AsSpan(line.Length > 5 && line[5] == ' ' ? 6 : 5));
            }
            else if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                name = line[6..].Trim();
            }
        }

        return raw.Length == 0 ? null : new SseEvent(raw.Append('\n').ToString(), name, data.ToString());
    }

    public void Dispose() => reader.Dispose();
}
