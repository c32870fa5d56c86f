using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Tollgate.Gateway.Tests;

public sealed partial class FakeUpstream
{
    /// <summary>The Responses API's usage: the chat numbers under its own names.</summary>
    private static JsonObject ResponsesUsage() => new()
    {
        ["input_tokens"] = 1200,
        ["input_tokens_details"] = new JsonObject { ["cached_tokens"] = 1000 },
        ["output_tokens"] = 300,
        ["output_tokens_details"] = new JsonObject { ["reasoning_tokens"] = 100 },
        ["total_tokens"] = 1500,
    };

    private static JsonObject Response(string? model, string status, JsonObject? usage) => new()
    {
        ["id"] = "resp_fake",
        ["object"] = "response",
        ["created_at"] = 1,
        ["status"] = status,
        ["model"] = model,
        ["output"] = status == "completed"
            ? new JsonArray(new JsonObject
            {
                ["type"] = "message",
                ["id"] = "msg_1",
                ["status"] = "completed",
                ["role"] = "assistant",
                ["content"] = new JsonArray(new JsonObject { ["type"] = "output_text", ["text"] = "Hello world", ["annotations"] = new JsonArray() }),
            })
            : new JsonArray(),
        ["usage"] = usage,
    };

    private async Task ResponsesAsync(HttpContext context)
    {
        var body = await ReadAsync(context);
        var model = JsonNumbersOf(body["model"]);
        if (body["stream"]?.GetValue<bool>() != true)
        {
            await JsonAsync(context, 200, Response(model, "completed", ResponsesUsage()));
            return;
        }

        context.Response.ContentType = "text/event-stream";
        await context.Response.StartAsync();
        await SendEventAsync(context, "response.created", new JsonObject { ["type"] = "response.created", ["sequence_number"] = 0, ["response"] = Response(model, "in_progress", null) });
        var sequence = 1;
        foreach (var word in new[] { "Hello", " world" })
        {
            await SendEventAsync(context, "response.output_text.delta", new JsonObject
            {
                ["type"] = "response.output_text.delta", ["sequence_number"] = sequence++, ["item_id"] = "msg_1", ["output_index"] = 0, ["content_index"] = 0, ["delta"] = word,
            });
        }

        await SendEventAsync(context, "response.completed", new JsonObject { ["type"] = "response.completed", ["sequence_number"] = sequence, ["response"] = Response(model, "completed", ResponsesUsage()) });
    }

    private async Task EmbeddingsAsync(HttpContext context)
    {
        var body = await ReadAsync(context);
        await JsonAsync(context, 200, new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray(new JsonObject { ["object"] = "embedding", ["index"] = 0, ["embedding"] = new JsonArray(0.1, 0.2) }),
            ["model"] = JsonNumbersOf(body["model"]),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 2000, ["total_tokens"] = 2000 },
        });
    }

    private async Task ImagesAsync(HttpContext context)
    {
        var body = await ReadAsync(context);
        var n = body["n"]?.GetValue<int>() ?? 1;
        var data = new JsonArray();
        for (var i = 0; i < n; i++)
        {
            data.Add(new JsonObject { ["b64_json"] = "AAAA" });
        }

        await JsonAsync(context, 200, new JsonObject { ["created"] = 1, ["data"] = data });
    }

    private async Task SpeechAsync(HttpContext context)
    {
        await ReadAsync(context);
        context.Response.ContentType = "audio/mpeg";
        await context.Response.Body.WriteAsync(new byte[] { 0xFF, 0xFB, 0x90, 0x00 });
    }
}
