using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Tollgate.Gateway.Tests;

/// <summary>
/// A fake provider on a loopback port (real Kestrel, real HTTP) speaking OpenAI's Chat Completions and Anthropic's
/// Messages, JSON and server-sent events. The upstream model name picks the behaviour: ok, no-usage, slow,
/// fail-500, bad-400, mid-fail, fail-early, claude-ok. It records every request it received.
/// </summary>
public sealed partial class FakeUpstream : IAsyncDisposable
{
    /// <summary>The usage "ok" reports: 1,200 input of which 1,000 cached; 300 output of which 100 reasoning.</summary>
    public static readonly JsonObject ChatUsage = new()
    {
        ["prompt_tokens"] = 1200,
        ["completion_tokens"] = 300,
        ["total_tokens"] = 1500,
        ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = 1000 },
        ["completion_tokens_details"] = new JsonObject { ["reasoning_tokens"] = 100 },
    };

    private readonly WebApplication app;

    private FakeUpstream(WebApplication app, Uri address)
    {
        this.app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>The requests received, in order: path, body and the provider key headers (copied: Kestrel reuses its header objects).</summary>
    public ConcurrentQueue<(string Path, JsonObject Body, string Authorization, string ApiKey)> Requests { get; } = new();

    /// <summary>How many chunks the slow stream wrote before it ended or was cut, per call.</summary>
    public ConcurrentQueue<(int Written, bool Cancelled)> SlowStreams { get; } = new();

    /// <summary>Run before each chat answer (a test's hook into "while the provider works", such as moving the clock).</summary>
    public Action? WhileWorking { get; set; }

    public int CallsTo(string model) => Requests.Count(r => JsonNumbersOf(r.Body["model"]) == model);

    public static async Task<FakeUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        FakeUpstream? fake = null;
        app.MapPost("/v1/chat/completions", (HttpContext c) => fake!.ChatAsync(c));
        app.MapPost("/v1/messages", (HttpContext c) => fake!.MessagesAsync(c));
        app.MapPost("/v1/responses", (HttpContext c) => fake!.ResponsesAsync(c));
        app.MapPost("/v1/embeddings", (HttpContext c) => fake!.EmbeddingsAsync(c));
        app.MapPost("/v1/images/generations", (HttpContext c) => fake!.ImagesAsync(c));
        app.MapPost("/v1/audio/speech", (HttpContext c) => fake!.SpeechAsync(c));
        await app.StartAsync();
        fake = new FakeUpstream(app, new Uri(app.Urls.First() + "/v1"));
        return fake;
    }

    private async Task<JsonObject> ReadAsync(HttpContext context)
    {
        var body = (JsonObject)(await JsonNode.ParseAsync(context.Request.Body))!;
        Requests.Enqueue((context.Request.Path, body, context.Request.Headers.Authorization.ToString(), context.Request.Headers["x-api-key"].ToString()));
        return body;
    }

    private static async Task SendEventAsync(HttpContext context, string? name, JsonNode data)
    {
        var text = (name is null ? string.Empty : $"event: {name}\n") + $"data: {data.ToJsonString()}\n\n";
        await context.Response.WriteAsync(text, context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    private static async Task JsonAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    private static string? JsonNumbersOf(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static JsonNode Clone(JsonObject o) => JsonNode.Parse(o.ToJsonString(new JsonSerializerOptions()))!;

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
