using System.Text;
using Tollgate.Core.Events;

namespace Tollgate.Core.Tests.Events;

/// <summary>The stored body of an event reads back to the event, whatever was written before it on the same thread.</summary>
public sealed class UsageEventWriterTests
{
    [Fact]
    public void WriteUtf8_ALargeEventThenSmallOnes_EachReadsBackToItsEventAndTheFingerprintsStayDefined()
    {
        var small = TestEvents.Make("llm_text", "m", new Dictionary<string, decimal> { [Meters.InputTokens] = 12 });
        // Past the 64 KB that a thread keeps of its buffers: the next writes start from new ones.
        var large = small with { Id = "big", Content = new EventContent(new string('é', 100_000), "x 😀", null, null, []) };

        foreach (var e in new[] { small, large, small, large, small })
        {
            var read = UsageEventParser.Parse(Encoding.UTF8.GetString(UsageEventWriter.WriteUtf8(e)));
            Assert.True(read.IsSuccess, string.Join("; ", read.Errors.Select(x => x.Message)));
            Assert.Equal(EventFingerprint.Of(e), EventFingerprint.Of(read.Event!));
            Assert.Equal(EventFingerprintTests.Defined(e), EventFingerprint.Of(e));
        }
    }
}
