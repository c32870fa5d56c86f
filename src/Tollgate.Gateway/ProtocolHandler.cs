using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Tollgate.Gateway.Charging;
using Tollgate.Gateway.Keys;
using Tollgate.Gateway.Routes;
using Tollgate.Gateway.Upstreams;

namespace Tollgate.Gateway;

/// <summary>
/// One call through the gateway, whatever its protocol: authenticate the gateway key, find the route, reserve the
/// most the call can cost, call the upstreams (failing over), relay the answer, settle what it used. A protocol
/// (OpenAI chat, Anthropic messages) supplies its wire details.
/// </summary>
public abstract partial class ProtocolHandler(GatewayServices services)
{
    public const string EventIdHeader = "X-Tollgate-Event-Id";
    public const string PriorityHeader = "X-Tollgate-Priority";

    /// <summary>The upstream kind this protocol passes bodies to.</summary>
    protected abstract string Kind { get; }

    protected abstract string? PresentedKey(HttpRequest request);

    protected abstract Task WriteErrorAsync(HttpContext context, ProtocolError error, string message);

    protected abstract HttpRequestMessage BuildUpstreamRequest(Upstream upstream, JsonObject body, HttpRequest incoming, bool stream);

    /// <summary>The most output tokens the request allows, or null when it sets no limit (the route's limit applies).</summary>
    protected virtual long? RequestedMaxOutput(JsonObject body) => null;

    /// <summary>Rewrites the body's output limit to <paramref name="max"/> tokens in all (endpoints that reserve output tokens override this).</summary>
    protected virtual void CapOutput(JsonObject body, long max) => throw new NotSupportedException("this endpoint reserves no output tokens");

    /// <summary>The text of the request's input (messages, system prompt, tools), to count its tokens; null when it has none.</summary>
    protected abstract string? InputText(JsonObject body);

    /// <summary>What to reserve besides the counted input: by default the output limit (the request's, at most the route's).</summary>
    protected virtual IReadOnlyDictionary<string, decimal> Reserve(JsonObject body, GatewayRoute route) =>
        new Dictionary<string, decimal> { [Core.Events.Meters.OutputTokens] = Math.Min(RequestedMaxOutput(body) ?? route.MaxOutputTokens, route.MaxOutputTokens) };

    /// <summary>Request fields that price the call (attribute multipliers), besides priority.</summary>
    protected virtual void AddAttributes(JsonObject body, Dictionary<string, string> attributes)
    {
    }

    protected abstract bool AsksPriority(JsonObject body);

    /// <summary>How many images the input carries (counted by the tile formula at the largest billed size).</summary>
    protected virtual int InputImageCount(JsonObject body) => 0;

    /// <summary>
    /// The largest image OpenAI bills by tiles: scaled to fit 2048 x 2048, then its short side to 768, so at most
    /// 768 x 2048, 2 x 4 tiles: 85 + 170 x 8 = 1,445 tokens. Reserved per input image; the provider's usage settles it.
    /// </summary>
    private static readonly Core.Events.ImageSize LargestBilledImage = new(768, 2048);

    /// <summary>
    /// The usage of a non-streamed answer, read in place (an undefined element when it is not JSON): the upstream's
    /// counts, or its text when it gave none.
    /// </summary>
    protected abstract CallUsage UsageOf(JsonObject request, JsonElement answer);

    /// <summary>
    /// The usage of a non-streamed answer's bytes. They are read where they lie (an embeddings answer can be megabytes
    /// of vectors, of which only the usage counts), not copied into a tree of nodes.
    /// </summary>
    internal CallUsage UsageOfAnswer(JsonObject request, ReadOnlyMemory<byte> answer, bool json)
    {
        using var document = json ? JsonNumbers.Parse(answer) : null;
        return UsageOf(request, document?.RootElement ?? default);
    }

    /// <summary>Whether the client asked for a stream (endpoints that never stream answer false).</summary>
    protected virtual bool Streams(JsonObject body) => body["stream"] is JsonValue s && s.TryGetValue<bool>(out var on) && on;

    protected virtual StreamMeter NewStreamMeter(JsonObject body) => throw new NotSupportedException("this endpoint does not stream");

    public async Task HandleAsync(HttpContext context)
    {
        var presented = PresentedKey(context.Request);
        var key = presented is null ? null : await services.Keys.VerifyAsync(presented, context.RequestAborted);
        if (key is null)
        {
            await WriteErrorAsync(context, ProtocolError.Unauthorized, presented is null ? "no gateway key was sent" : "the gateway key is unknown or revoked");
            return;
        }

        JsonObject? body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject;
        }
        catch (JsonException ex)
        {
            await WriteErrorAsync(context, ProtocolError.BadRequest, $"the body is not valid JSON: {ex.Message}");
            return;
        }

        if (body?["model"] is not JsonValue modelValue || !modelValue.TryGetValue<string>(out var model))
        {
            await WriteErrorAsync(context, ProtocolError.BadRequest, "the body needs a string 'model'");
            return;
        }

        var route = services.Options.Routes.Find(model);
        if (route is null || route.Speaking(Kind).Count == 0 || !key.MayCall(model))
        {
            await WriteErrorAsync(context, ProtocolError.UnknownModel, $"the model '{model}' does not exist or this key may not use it");
            return;
        }

        if (await services.Limits.CountRequestAsync(key, context.RequestAborted) is { } wait)
        {
            context.Response.Headers.RetryAfter = wait.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await WriteErrorAsync(context, ProtocolError.RateLimited, $"this key may start {key.RequestsPerMinute} calls per minute; retry in {wait} s");
            return;
        }

        var call = NewCall(context, key, route, body);
        if (call is null)
        {
            await WriteErrorAsync(context, ProtocolError.BadRequest, "the Idempotency-Key header must be 1 to 200 characters");
            return;
        }

        await CallAsync(context, call, body);
    }

    private GatewayCall? NewCall(HttpContext context, GatewayKey key, GatewayRoute route, JsonObject body)
    {
        var eventId = context.Request.Headers["Idempotency-Key"].ToString();
        if (eventId.Length == 0)
        {
            eventId = "gw_" + Guid.CreateVersion7().ToString("N");
        }
        else if (eventId.Length > 200)
        {
            return null;
        }

        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var header = context.Request.Headers[PriorityHeader].ToString();
        if (AsksPriority(body) || header is "true" or "1" or "high" or "priority")
        {
            attributes["priority"] = "true";
        }

        AddAttributes(body, attributes);
        return new GatewayCall(key, route, eventId, attributes, InputText(body), Reserve(body, route))
        {
            InputImages = [.. Enumerable.Repeat(LargestBilledImage, InputImageCount(body))],
        };
    }

    /// <summary>Counts the objects of a JSON tree whose <c>type</c> is one of <paramref name="types"/> (image parts of messages).</summary>
    protected static int CountTyped(JsonNode? node, params string[] types) => node switch
    {
        JsonObject o => (JsonNumbers.String(o["type"]) is { } t && types.Contains(t) ? 1 : 0) + o.Sum(p => CountTyped(p.Value, types)),
        JsonArray a => a.Sum(item => CountTyped(item, types)),
        _ => 0,
    };
}
