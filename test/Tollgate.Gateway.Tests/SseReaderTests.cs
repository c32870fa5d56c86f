using System.Text;
using CsCheck;
using Tollgate.Gateway.Upstreams;

namespace Tollgate.Gateway.Tests;

/// <summary>
/// The stream reader against a model of the event-stream format: whatever the line endings, the byte order mark,
/// the text's encoding and however the upstream's bytes are cut into reads, every event comes out with its name, its
/// data, and exactly the bytes it came in.
/// </summary>
public sealed class SseReaderTests
{
    private sealed record Line(string Field, string Value)
    {
        public string Text => Field.Length == 0 ? ": " + Value : $"{Field}: {Value}";
    }

    private static readonly Gen<string> Value = Gen.OneOf(
        Gen.String[Gen.Char["abc {}\":,é漢"], 0, 40],
        Gen.Const("{\"choices\":[{\"delta\":{\"content\":\"🙂 ok\"}}]}"),
        Gen.String[Gen.Char["xyz"], 3000, 9000]); // longer than the reader's first buffer

    private static readonly Gen<Line> AnyLine = Gen.Select(Gen.Int[0, 4].Select(i => new[] { "data", "data", "event", "id", "" }[i]), Value, (field, value) => new Line(field, value));

    [Fact]
    public void EveryEvent_ComesOutWithItsNameDataAndBytes_HoweverTheStreamIsCut()
    {
        Gen.Select(AnyLine.List[1, 4].List[1, 6], Gen.Bool, Gen.Int[0, 2], Gen.Int[0, 2], Gen.Int[1, 700], Gen.Int[0, int.MaxValue])
            .Sample((events, bom, endings, ending, maxRead, seed) =>
            {
                var random = new Random(seed);
                // Lone CRs are one style; LF and CRLF may mix. A CR then an LF would be one CRLF, not two line ends.
                string End() => endings == 0 ? "\r" : random.Next(2) == 0 ? "\n" : "\r\n";
                var bytes = new List<byte>(bom ? [0xEF, 0xBB, 0xBF] : []);
                var expected = new List<(string Raw, string? Name, string Data)>();
                for (var i = 0; i < events.Count; i++)
                {
                    var raw = new StringBuilder();
                    foreach (var line in events[i])
                    {
                        raw.Append(line.Text).Append(End());
                    }

                    var last = i == events.Count - 1;
                    var unterminated = last && ending > 0;
                    if (unterminated && ending == 2)
                    {
                        raw.Length -= raw[^1] == '\n' && raw.Length > 1 && raw[^2] == '\r' ? 2 : 1; // no end on the last line either
                    }

                    var sent = unterminated ? raw.ToString() : raw.Append(End()).ToString();
                    bytes.AddRange(Encoding.UTF8.GetBytes(sent));
                    if (!unterminated)
                    {
                        for (var blank = random.Next(3); blank > 0; blank--)
                        {
                            bytes.AddRange(Encoding.UTF8.GetBytes(End())); // blank lines between events belong to none
                        }
                    }

                    var relayed = unterminated ? sent + (ending == 2 ? "\n\n" : "\n") : sent;
                    var data = string.Join('\n', events[i].Where(l => l.Field == "data").Select(l => l.Value));
                    var name = events[i].LastOrDefault(l => l.Field == "event")?.Value.Trim();
                    expected.Add((relayed, name, data));
                }

                var read = ReadAll(new ChoppedStream(bytes.ToArray(), maxRead, seed));
                Assert.Equal(expected.Count, read.Count);
                for (var i = 0; i < expected.Count; i++)
                {
                    Assert.Equal(expected[i], read[i]);
                }
            }, iter: 300);
    }

    [Fact]
    public void AStreamOfOnlyBlankLinesOrNothing_HasNoEvents()
    {
        Assert.Empty(ReadAll(new MemoryStream([])));
        Assert.Empty(ReadAll(new MemoryStream("\n\r\n\r\n"u8.ToArray())));
        Assert.Empty(ReadAll(new MemoryStream([0xEF, 0xBB, 0xBF])));
    }

    [Fact]
    public async Task AnEventWithoutEnd_IsABrokenUpstream_NotMemoryWithoutBound()
    {
        using var reader = new SseReader(new EndlessLine());
        var error = await Assert.ThrowsAsync<IOException>(async () => await reader.ReadAsync(CancellationToken.None));
        Assert.Contains("longer than", error.Message);
    }

    /// <summary>
    /// Every event of the stream. Each time the reader says the next event is already buffered (the relay then holds
    /// back its flush), reading it must not touch the stream: a relay that waited on the upstream with events unflushed
    /// would keep them from the client.
    /// </summary>
    private static List<(string Raw, string? Name, string Data)> ReadAll(Stream stream)
    {
        var reads = stream as ChoppedStream;
        using var reader = new SseReader(stream);
        var events = new List<(string, string?, string)>();
        while (true)
        {
            var buffered = events.Count > 0 && reader.HasEventBuffered;
            var before = reads?.Reads;
            if (reader.ReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult() is not { } e)
            {
                Assert.False(buffered, "the reader said an event was buffered, and the stream had none left");
                break;
            }

            events.Add((Encoding.UTF8.GetString(e.Raw.Span), e.Name, Encoding.UTF8.GetString(e.Data.Span)));
            Assert.True(!buffered || reads?.Reads == before, $"event {events.Count} was said to be buffered, but reading it read the stream");
        }

        return events;
    }

    /// <summary>The upstream's bytes in reads of random sizes up to <paramref name="maxRead"/>, as a network gives them.</summary>
    private sealed class ChoppedStream(byte[] bytes, int maxRead, int seed) : MemoryStream(bytes)
    {
        private readonly Random random = new(seed);

        public int Reads { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Reads++;
            return base.Read(buffer, offset, Math.Min(count, random.Next(1, maxRead + 1)));
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Reads++;
            return base.ReadAsync(buffer[..Math.Min(buffer.Length, random.Next(1, maxRead + 1))], cancellationToken);
        }
    }

    private sealed class EndlessLine : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            buffer.AsSpan(offset, count).Fill((byte)'a');
            return count;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
