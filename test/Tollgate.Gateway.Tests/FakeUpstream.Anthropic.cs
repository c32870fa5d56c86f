using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Tollgate.Gateway.Tests;

public sealed partial class FakeUpstream
{
    /// <summary>Anthropic's input usage of "claude-ok": 50 uncached, 2,000 written to the cache, 1,000 read from it.</summary>
    private static JsonObject ClaudeUsage(long output) => new()
    {
        ["input_tokens"] = 50,
        ["cache_creation_input_tokens"] = 2000,
        ["cache_read_input_tokens"] = 1000,
        ["output_tokens"] = output,
    };

    private async Task MessagesAsync(HttpContext context)
    {
        var body = await ReadAsync(context);
        var model = JsonNumbersOf(body["model"]);
        if (model == "fail-500")
        {
            await JsonAsync(context, 500, new JsonObject { ["type"] = "error", ["error"] = new JsonObject { ["type"] = "api_error", ["message"] = "down" } });
            return;
        }

        if (body["stream"]?.GetValue<bool>() != true)
        {
            await JsonAsync(context, 200, new JsonObject
            {
                ["id"] = "msg_fake",
                ["type"] = "message",
                ["role"] = "assistant",
                ["model"] = model,
                ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "Hello world" }),
                ["stop_reason"] = "end_turn",
                ["usage"] = ClaudeUsage(400),
            });
            return;
        }

        context.Response.ContentType = "text/event-stream";
        await context.Response.StartAsync();
        await SendEventAsync(context, "message_start", new JsonObject
        {
            ["type"] = "message_start",
            ["message"] = new JsonObject { ["id"] = "msg_fake", ["type"] = "message", ["role"] = "assistant", ["model"] = model, ["content"] = new JsonArray(), ["usage"] = ClaudeUsage(1) },
        });
        await SendEventAsync(context, "content_block_start", new JsonObject { ["type"] = "content_block_start", ["index"] = 0, ["content_block"] = new JsonObject { ["type"] = "text", ["text"] = string.Empty } });
        var slow = model == "claude-slow";
        foreach (var word in slow ? Enumerable.Repeat("word ", 20) : ["Hello", " world"])
        {
            await SendEventAsync(context, "content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = 0, ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = word } });
            if (slow)
            {
                await Task.Delay(100, context.RequestAborted);
            }
        }

        await SendEventAsync(context, "content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = 0 });
        await SendEventAsync(context, "message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = "end_turn" },
            ["usage"] = new JsonObject { ["output_tokens"] = 400 },
        });
        await SendEventAsync(context, "message_stop", new JsonObject { ["type"] = "message_stop" });
    }
}
