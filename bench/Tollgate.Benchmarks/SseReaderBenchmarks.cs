using System.Text;
using BenchmarkDotNet.Attributes;
using Tollgate.Gateway.OpenAi;
using Tollgate.Gateway.Upstreams;

namespace Tollgate.Benchmarks;

/// <summary>
/// The gateway reading a streamed chat completion from its upstream: 200 OpenAI chunks of one token each, then the
/// usage chunk and [DONE], read event by event as the relay does (<see cref="SseReader"/>), and also followed by the
/// chat meter, which takes each chunk's text and the usage (<see cref="ChatStreamMeter"/>).
/// </summary>
[MemoryDiagnoser]
public class SseReaderBenchmarks
{
    private byte[] stream = null!;

    [GlobalSetup]
    public void Setup()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 200; i++)
        {
            text.Append("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" word\"},\"finish_reason\":null}]}\n\n");
        }

        text.Append("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":200,\"total_tokens\":212}}\n\ndata: [DONE]\n\n");
        stream = Encoding.UTF8.GetBytes(text.ToString());
    }

    [Benchmark]
    public async Task<int> ReadAll()
    {
        using var reader = new SseReader(new MemoryStream(stream));
        var count = 0;
        while (await reader.ReadAsync(CancellationToken.None) is not null)
        {
            count++;
        }

        return count;
    }

    [Benchmark]
    public async Task<int> ReadAndMeter()
    {
        using var reader = new SseReader(new MemoryStream(stream));
        var meter = new ChatStreamMeter(clientAskedUsage: false);
        var characters = 0;
        while (await reader.ReadAsync(CancellationToken.None) is { } e)
        {
            characters += meter.Observe(e).Text.Length;
        }

        return meter.Usage is null ? -1 : characters;
    }
}
