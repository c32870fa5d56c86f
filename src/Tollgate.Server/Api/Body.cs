using System.Buffers;
using System.Text.Json;
using Tollgate.Client;

namespace Tollgate.Server.Api;

/// <summary>A request body read and checked, or the problem that says what is wrong with it.</summary>
public readonly record struct Body<T>(T? Value, IResult? Problem)
{
    public bool Ok => Problem is null;
}

/// <summary>A request body parsed as JSON over the pooled buffer it was read into; disposing it gives the buffer back.</summary>
public sealed class RequestJson(JsonDocument document, byte[] buffer) : IDisposable
{
    private byte[]? buffer = buffer;

    public JsonElement RootElement => document.RootElement;

    public void Dispose()
    {
        document.Dispose();
        if (Interlocked.Exchange(ref buffer, null) is { } pooled)
        {
            ArrayPool<byte>.Shared.Return(pooled);
        }
    }
}

/// <summary>
/// Reads request bodies strictly: JSON only, unknown fields rejected, every type error named by its field path.
/// Nothing is written before a body has been read and validated.
/// </summary>
public static class BodyReader
{
    /// <summary>
    /// The deepest nesting of a request body: the deepest real body (an event in a settle) has four levels. A
    /// duplicate key is refused rather than silently resolved (last wins), which would let two readers of the
    /// same body disagree.
    /// </summary>
    public const int MaxDepth = 32;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth, AllowDuplicateProperties = false };

    public static async Task<Body<T>> ReadAsync<T>(HttpRequest request, CancellationToken cancel)
        where T : class
    {
        // Syntax first (malformed_json), then shape and types (invalid_field, missing_field, naming the field).
        var document = await ReadDocumentAsync(request, cancel);
        if (!document.Ok)
        {
            return new(null, document.Problem);
        }

        using var json = document.Value!;
        if (ControlCharacter(json.RootElement, "") is { } bad)
        {
            // Checked on the JSON, before binding: the enum reader trims white space (U+0085 included), so
            // "recharge\u0085" would otherwise pass as recharge; no field of a typed body holds control characters.
            return new(null, Problems.BadRequest(Problems.InvalidField, $"'{bad.Field}' {bad.Error}", bad.Field));
        }

        try
        {
            var value = json.RootElement.Deserialize<T>(TollgateJson.Options);
            return value is null
                ? new(null, Problems.BadRequest(Problems.MalformedJson, "the body must be a JSON object, not null", "$"))
                : new(value, null);
        }
        catch (JsonException ex)
        {
            return new(null, FromJsonException(ex));
        }
    }

    /// <summary>Reads the body as a JSON document (for usage events, which the event parser checks field by field).</summary>
    public static async Task<Body<RequestJson>> ReadDocumentAsync(HttpRequest request, CancellationToken cancel)
    {
        if (!IsJson(request))
        {
            return new(null, Problems.Of(StatusCodes.Status415UnsupportedMediaType, Problems.UnsupportedMediaType, "send the body as application/json", "content-type"));
        }

        var (buffer, length) = await ReadPooledAsync(request, cancel);
        var bytes = buffer.AsMemory(0, length);
        try
        {
            if (!System.Text.Unicode.Utf8.IsValid(bytes.Span))
            {
                return new(null, Problems.BadRequest(Problems.MalformedJson, "the body is not valid UTF-8", "$"));
            }

            var json = new RequestJson(JsonDocument.Parse(bytes, DocumentOptions), buffer);
            buffer = null; // the document reads it until it is disposed
            return new(json, null);
        }
        catch (JsonException ex) when (DuplicateKey(bytes) is { } duplicate)
        {
            return new(null, Problems.BadRequest(Problems.MalformedJson, $"the body gives '{duplicate}' twice; each key may appear once ({ex.Message})", duplicate));
        }
        catch (JsonException ex)
        {
            // The reader names the reason: too deep, or the syntax error and its place.
            return new(null, Problems.BadRequest(Problems.MalformedJson, $"the body is not valid JSON: {ex.Message}", "$"));
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>
    /// The body in a pooled buffer, grown by doubling. A batch of a thousand events is half a megabyte: read into a
    /// MemoryStream, every batch allocated three or four arrays on the large object heap, and they set off a full
    /// background collection about once a second (docs/benchmarks.md, "Pooled request bodies").
    /// </summary>
    private static async Task<(byte[] Buffer, int Length)> ReadPooledAsync(HttpRequest request, CancellationToken cancel)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(request.ContentLength ?? 0, 4096, 1 << 20));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(checked(buffer.Length * 2));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancel);
                if (read == 0)
                {
                    return (buffer, length);
                }

                length += read;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>The first string (value or key) of a typed body that is not storable text, with its field path.</summary>
    private static (string Field, string Error)? ControlCharacter(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String when Core.Events.TextRules.TextError(element.GetString()!, int.MaxValue, multiline: InContent(path)) is { } error:
                return (path.Length == 0 ? "$" : path, error);
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (ControlCharacter(item, $"{path}[{i++}]") is { } found)
                    {
                        return found;
                    }
                }

                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var field = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                    if (Core.Events.TextRules.TextError(property.Name, int.MaxValue) is { } keyError)
                    {
                        return (Core.Events.TextRules.Shown(field), keyError);
                    }

                    if (ControlCharacter(property.Value, field) is { } found)
                    {
                        return found;
                    }
                }

                break;
        }

        return null;
    }

    /// <summary>An event's content texts (a settle's or an estimate's) keep their line breaks and tabs, as the event parser allows.</summary>
    private static bool InContent(string path) =>
        path.StartsWith("content", StringComparison.Ordinal) || path.Contains(".content", StringComparison.Ordinal);

    /// <summary>Reads a text body (price book documents: YAML or JSON).</summary>
    public static async Task<string> ReadTextAsync(HttpRequest request, CancellationToken cancel)
    {
        using var reader = new StreamReader(request.Body);
        return await reader.ReadToEndAsync(cancel);
    }

    /// <summary>
    /// The field path of the first key given twice, found on a lenient parse once the strict one has refused the
    /// body (the reader names the key, not where it is); null when the refusal had another reason.
    /// </summary>
    private static string? DuplicateKey(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            using var lenient = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = MaxDepth });
            return DuplicateKey(lenient.RootElement, "");
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? DuplicateKey(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in element.EnumerateArray())
            {
                if (DuplicateKey(item, $"{path}[{i++}]") is { } found)
                {
                    return found;
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Object)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                var field = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                if (!seen.Add(property.Name))
                {
                    return field;
                }

                if (DuplicateKey(property.Value, field) is { } found)
                {
                    return found;
                }
            }
        }

        return null;
    }

    /// <summary>A JSON field path ($.events[3].amount) as the field name a user wrote (events[3].amount).</summary>
    public static string Field(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "$" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    private static IResult FromJsonException(JsonException ex)
    {
        var field = Field(ex.Path);
        var message = ex.Message;
        if (message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            return Problems.Invalid(field, $"'{field}' is not a field of this request (a misspelt field would be silently ignored elsewhere; here it is an error)");
        }

        return message.Contains("missing required properties", StringComparison.Ordinal)
            ? Problems.BadRequest(Problems.MissingField, Strip(message), field)
            : Problems.Invalid(field, $"'{field}' has the wrong type or value: {Strip(ex.InnerException?.Message ?? message)}");
    }

    private static string Strip(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private static bool IsJson(HttpRequest request) =>
        request.ContentType is null || request.ContentType.Contains("json", StringComparison.OrdinalIgnoreCase);
}
