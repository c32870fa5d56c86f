using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Tollgate.Gateway.Tests;

public sealed partial class FakeUpstream
{
    private async Task ChatAsync(HttpContext context)
    {
        var body = await ReadAsync(context);
        var model = JsonNumbersOf(body["model"]);
        var stream = body["stream"]?.GetValue<bool>() == true;
        var includeUsage = body["stream_options"]?["include_usage"]?.GetValue<bool>() == true;
        WhileWorking?.Invoke();
        switch (model)
        {
            case "fail-500":
                await JsonAsync(context, 500, new JsonObject { ["error"] = new JsonObject { ["message"] = "the fake is down", ["type"] = "server_error" } });
                return;
            case "bad-400":
                await JsonAsync(context, 400, new JsonObject { ["error"] = new JsonObject { ["message"] = "bad request", ["type"] = "invalid_request_error", ["code"] = "bad" } });
                return;
        }

        // "fill" answers as much as it was allowed: its output is the request's limit, its input the messages counted as the gateway counts them.
        var usage = model == "fill" ? FillUsage(body) : Clone(ChatUsage);
        if (!stream)
        {
            await JsonAsync(context, 200, new JsonObject
            {
                ["id"] = "chatcmpl-fake",
                ["object"] = "chat.completion",
                ["created"] = 1,
                ["model"] = model,
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = "Hello world" },
                    ["finish_reason"] = "stop",
                }),
                ["usage"] = model == "no-usage" ? null : usage,
            });
            return;
        }

        context.Response.ContentType = "text/event-stream";
        await context.Response.StartAsync();
        if (model == "fail-early")
        {
            context.Abort();
            return;
        }

        var words = model == "slow" ? Enumerable.Repeat("word ", 20).ToArray() : ["Hello", " world"];
        var written = 0;
        try
        {
            foreach (var word in words)
            {
                await SendEventAsync(context, null, Chunk(model, new JsonObject { ["content"] = word }));
                written++;
                if (model == "mid-fail")
                {
                    // Let the chunk reach the gateway before the connection is reset (a reset drops unsent data).
                    await Task.Delay(200);
                    context.Abort();
                    return;
                }

                if (model == "slow")
                {
                    await Task.Delay(100, context.RequestAborted);
                }
            }

            if (includeUsage && model != "no-usage")
            {
                var last = Chunk(model, null);
                last["usage"] = usage;
                await SendEventAsync(context, null, last);
            }

            await context.Response.WriteAsync("data: [DONE]\n\n", context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            if (model == "slow")
            {
                SlowStreams.Enqueue((written, true));
            }

            return;
        }

        if (model == "slow")
        {
            SlowStreams.Enqueue((written, false));
        }
    }

    /// <summary>The usage of a call that used its whole output limit, with its input counted by the o200k tokenizer (text parts, a newline after each).</summary>
    public static JsonObject FillUsage(JsonObject body)
    {
        var input = Tollgate.Core.Estimation.TokenEstimator.Count(
            string.Concat((body["messages"] as JsonArray ?? []).Select(m => JsonNumbersOf(m?["content"]) + "\n")), Tollgate.Core.Estimation.TokenEstimator.O200kBase, null);
        var output = (body["max_completion_tokens"] ?? body["max_tokens"])!.GetValue<long>();
        return new JsonObject { ["prompt_tokens"] = input, ["completion_tokens"] = output, ["total_tokens"] = input + output };
    }

    private static JsonObject Chunk(string? model, JsonObject? delta) => new()
    {
        ["id"] = "chatcmpl-fake",
        ["object"] = "chat.completion.chunk",
        ["created"] = 1,
        ["model"] = model,
        ["choices"] = delta is null ? new JsonArray() : new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = null }),
    };
}
