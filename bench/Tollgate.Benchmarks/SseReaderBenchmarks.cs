using System.Text;
using BenchmarkDotNet.Attributes;
using Tollgate.Gateway.Anthropic;
using Tollgate.Gateway.OpenAi;
using Tollgate.Gateway.Upstreams;

namespace Tollgate.Benchmarks;

/// <summary>
/// The gateway reading a streamed chat completion from its upstream: 200 OpenAI chunks of one token each, then the
/// usage chunk and [DONE], read event by event as the relay does (<see cref="SseReader"/>), and also followed by the
/// chat meter, which takes each chunk's text and the usage (<see cref="ChatStreamMeter"/>); and an Anthropic Messages
/// stream of as many text deltas, followed by its meter (<see cref="MessagesStreamMeter"/>).
/// </summary>
[MemoryDiagnoser]
public class SseReaderBenchmarks
{
    private byte[] stream = null!;
    private byte[] messages = null!;

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

        var anthropic = new StringBuilder();
        anthropic.Append("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude\",\"content\":[],\"usage\":{\"input_tokens\":12,\"cache_read_input_tokens\":1024,\"output_tokens\":1}}}\n\n");
        for (var i = 0; i < 200; i++)
        {
            anthropic.Append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" word\"}}\n\n");
        }

        anthropic.Append("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":200}}\n\n");
        anthropic.Append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        messages = Encoding.UTF8.GetBytes(anthropic.ToString());
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

    [Benchmark]
    public async Task<int> ReadAndMeterMessages()
    {
        using var reader = new SseReader(new MemoryStream(messages));
        var meter = new MessagesStreamMeter();
        var characters = 0;
        while (await reader.ReadAsync(CancellationToken.None) is { } e)
        {
            characters += meter.Observe(e).Text.Length;
        }

        return meter.Usage is null ? -1 : characters;
    }
}
