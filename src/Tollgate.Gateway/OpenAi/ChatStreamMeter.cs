using System.Text.Json;
using Tollgate.Gateway.Upstreams;

namespace Tollgate.Gateway.OpenAi;

/// <summary>
/// Follows a Chat Completions stream: <c>data: {chunk}</c> events whose deltas carry the text, a last chunk with
/// <c>usage</c> (and no choices) when usage was asked for, then <c>data: [DONE]</c>.
/// </summary>
/// <remarks>
/// A stream has a chunk per token or so, so each is read in one pass of a <see cref="Utf8JsonReader"/> that keeps the
/// names on its path, rather than parsed into a document: only the usage object, once a stream, becomes one.
/// </remarks>
internal sealed class ChatStreamMeter(bool clientAskedUsage) : StreamMeter
{
    /// <summary>The property names the meter looks for, by where they are; any other name is <see cref="Other"/>.</summary>
    private enum Name : byte
    {
        Other,
        Item, // an element of an array
        Choices,
        Delta,
        Content,
        ReasoningContent,
        Refusal,
        ToolCalls,
        Function,
        Arguments,
        Usage,
        Error,
    }

    private const int MaxDepth = 64;

    public override (string Text, bool Relay) Observe(SseEvent e)
    {
        if (e.Data.Span.SequenceEqual("[DONE]"u8))
        {
            Completed = true;
            return (string.Empty, true);
        }

        Chunk chunk;
        try
        {
            chunk = Read(e.Data.Span);
        }
        catch (JsonException)
        {
            return (string.Empty, true); // not JSON: relayed, never billed from
        }

        if (chunk.Error)
        {
            Failed = true;
            return (string.Empty, true);
        }

        if (chunk.Usage is { } usage)
        {
            Usage = usage;

            // The usage-only chunk the gateway asked for on the client's behalf is not the client's to see.
            return (chunk.Text, clientAskedUsage || chunk.Choices > 0);
        }

        return (chunk.Text, true);
    }

    private readonly record struct Chunk(string Text, int Choices, bool Error, Dictionary<string, decimal>? Usage);

    /// <summary>
    /// The text of a chunk's deltas (content, reasoning, refusal, tool-call arguments), its number of choices, whether
    /// it is an error (a top-level <c>error</c> that is not null) and its usage. A chunk that is not an object has none.
    /// </summary>
    private static Chunk Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            while (reader.Read())
            {
                // Still read to the end: what is not JSON is refused as a whole, as a document would refuse it.
            }

            return new(string.Empty, 0, false, null);
        }

        // path[d]: the name of the value at depth d (Item for an array's elements); inArray[d]: its container is an array.
        Span<Name> path = stackalloc Name[MaxDepth + 1];
        Span<bool> inArray = stackalloc bool[MaxDepth + 2];
        path.Clear();
        inArray.Clear();
        var text = string.Empty;
        var choices = 0;
        var error = false;
        Dictionary<string, decimal>? usage = null;
        while (reader.Read())
        {
            var depth = reader.CurrentDepth;
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    path[depth] = NameOf(ref reader, depth, path);
                    if (depth == 1 && path[1] is Name.Usage or Name.Error)
                    {
                        reader.Read();
                        if (path[1] == Name.Error)
                        {
                            error |= reader.TokenType != JsonTokenType.Null;
                            reader.Skip();
                        }
                        else if (reader.TokenType == JsonTokenType.StartObject)
                        {
                            using var document = JsonDocument.ParseValue(ref reader);
                            usage ??= OpenAiUsage.Map(document.RootElement);
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }

                    continue;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    continue;
            }

            // A value: an array's element takes its name from its place.
            if (inArray[depth])
            {
                path[depth] = Name.Item;
                choices += depth == 2 && path[1] == Name.Choices ? 1 : 0;
            }

            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                inArray[depth + 1] = reader.TokenType == JsonTokenType.StartArray;
            }
            else if (reader.TokenType == JsonTokenType.String && IsText(path[..(depth + 1)]))
            {
                text = JsonNumbers.Append(text, reader.GetString());
            }
        }

        return new(text, choices, error, usage);
    }

    /// <summary>
    /// choices[].delta.content, .reasoning_content, .refusal, and choices[].delta.tool_calls[].function.arguments. A
    /// name is only given in its place (<see cref="NameOf"/>), so the last one on the path says it all.
    /// </summary>
    private static bool IsText(ReadOnlySpan<Name> path) => path.Length switch
    {
        5 => path[4] is Name.Content or Name.ReasoningContent or Name.Refusal,
        8 => path[7] == Name.Arguments,
        _ => false,
    };

    /// <summary>
    /// The property's name, where its ancestors make it one the meter looks for: delta only in an element of choices,
    /// content in a delta, and so on. Any other name, or a known one elsewhere, is Other.
    /// </summary>
    private static Name NameOf(ref Utf8JsonReader reader, int depth, scoped ReadOnlySpan<Name> path) => depth switch
    {
        1 => reader.ValueTextEquals("choices"u8) ? Name.Choices
            : reader.ValueTextEquals("usage"u8) ? Name.Usage
            : reader.ValueTextEquals("error"u8) ? Name.Error
            : Name.Other,
        3 when path[1] == Name.Choices && path[2] == Name.Item => reader.ValueTextEquals("delta"u8) ? Name.Delta : Name.Other,
        4 when path[3] == Name.Delta => reader.ValueTextEquals("content"u8) ? Name.Content
            : reader.ValueTextEquals("reasoning_content"u8) ? Name.ReasoningContent
            : reader.ValueTextEquals("refusal"u8) ? Name.Refusal
            : reader.ValueTextEquals("tool_calls"u8) ? Name.ToolCalls
            : Name.Other,
        6 when path[4] == Name.ToolCalls && path[5] == Name.Item => reader.ValueTextEquals("function"u8) ? Name.Function : Name.Other,
        7 when path[6] == Name.Function => reader.ValueTextEquals("arguments"u8) ? Name.Arguments : Name.Other,
        _ => Name.Other,
    };
}
