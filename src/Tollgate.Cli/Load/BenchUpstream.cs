using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Tollgate.Cli.Load;

/// <summary>
/// The fake model provider of <c>bench --mode gateway</c>: OpenAI's Chat Completions on a loopback port, answering at
/// once with a fixed answer and usage (JSON, or a server-sent event stream of text chunks, three unless asked for
/// more, and a usage chunk), so that what the bench measures is the gateway, not a model.
/// </summary>
internal sealed class BenchUpstream(WebApplication app) : LoopbackServer(app)
{
    /// <summary>The text chunks of a streamed answer by default; a real model's answer of 300 tokens streams about 300.</summary>
    public const int DefaultChunks = 3;

    private const string Usage = """{"prompt_tokens":1200,"completion_tokens":300,"total_tokens":1500}""";

    private static readonly byte[] Answer = Encoding.UTF8.GetBytes(
        """{"id":"chatcmpl-bench","object":"chat.completion","created":1,"model":"bench","choices":[{"index":0,"message":{"role":"assistant","content":"Hello world"},"finish_reason":"stop"}],"usage":""" + Usage + "}");

    private static readonly string[] Words = ["Hello", " benchmark", " world"];

    /// <summary>The OpenAI base URL, ending in <c>/v1</c>.</summary>
    public Uri Address => new(Root, "v1");

    public static async Task<BenchUpstream> StartAsync(int chunks = DefaultChunks) =>
        new(await StartAsync(app => app.MapPost("/v1/chat/completions", (HttpContext context) => ChatAsync(context, chunks))));

    private static async Task ChatAsync(HttpContext context, int chunks)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body);
        if (body?["stream"] is not JsonValue s || !s.TryGetValue<bool>(out var stream) || !stream)
        {
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(Answer);
            return;
        }

        context.Response.ContentType = "text/event-stream";
        var text = new StringBuilder();
        foreach (var word in Enumerable.Range(0, chunks).Select(i => Words[i % Words.Length]))
        {
            text.Append("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"bench\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"")
                .Append(word).Append("\"},\"finish_reason\":null}]}\n\n");
        }

        if (body["stream_options"]?["include_usage"] is JsonValue u && u.TryGetValue<bool>(out var usage) && usage)
        {
            text.Append("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"bench\",\"choices\":[],\"usage\":").Append(Usage).Append("}\n\n");
        }

        text.Append("data: [DONE]\n\n");
        await context.Response.WriteAsync(text.ToString());
    }
}
