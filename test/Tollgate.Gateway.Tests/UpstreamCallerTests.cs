using Microsoft.Extensions.Logging.Abstractions;
using Tollgate.Gateway.Routes;
using Tollgate.Gateway.Upstreams;

namespace Tollgate.Gateway.Tests;

public sealed class UpstreamCallerTests
{
    /// <summary>
    /// A stream the gateway gives up (under `cut`, the client left) must end at the provider, not be read on in the
    /// background: HttpClient's default drains an unfinished answer for up to 2 s to reuse the connection, and the
    /// provider then writes, and bills, the whole answer. This was CI's flaky `cut` test: when the client's write failed
    /// before the cancellation reached the read, the dispose drained the slow stream to its end.
    /// </summary>
    [Fact]
    public async Task AStreamGivenUp_IsCutAtTheProvider_NotDrainedToItsEnd()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        using var caller = new UpstreamCaller(new GatewayOptions(), NullLogger<UpstreamCaller>.Instance);
        var target = new Upstream(Upstream.OpenAi, upstream.Address, "slow", null);
        using (var answer = await caller.SendAsync([target], u => Calls.Post(u.Endpoint("chat/completions").ToString(), Calls.Chat("slow", stream: true)), CancellationToken.None))
        {
            using var reader = new SseReader(await answer.Response!.Content.ReadAsStreamAsync());
            Assert.NotNull(await reader.ReadAsync(CancellationToken.None));
        }

        await Calls.EventuallyAsync(() => Task.FromResult(!upstream.SlowStreams.IsEmpty));
        var (written, cancelled) = upstream.SlowStreams.Single();
        Assert.True(cancelled, $"the provider wrote all {written} chunks: the given-up stream was drained");
        Assert.InRange(written, 1, 5);
    }
}
