using System.Text.Json;
using Tollgate.Core.Catalogs;
using Tollgate.Core.Events;
using Tollgate.Core.Rating;

namespace Tollgate.Cli.Commands;

/// <summary>Rates a JSON Lines stream: each line becomes one output line, a charge or an error; a bad line never stops the run.</summary>
internal static class EventStreamRater
{
    public static async Task<RateSummary> RateAsync(
        TextReader input, Stream output, PriceBook book, RatingContext context, Action<long>? onProgress, CancellationToken cancel)
    {
        await using var writer = new Utf8JsonWriter(output, ChargeJson.WriterOptions);
        long rated = 0, failed = 0, bytes = 0, lineNumber = 0;
        while (await input.ReadLineAsync(cancel) is { } line)
        {
            lineNumber++;
            bytes += line.Length + 1;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (RateLine(line, lineNumber, book, context, writer))
            {
                rated++;
            }
            else
            {
                failed++;
            }

            writer.Flush();
            writer.Reset(); // each line is its own JSON document
            output.WriteByte((byte)'\n');
            if ((rated + failed) % 4096 == 0)
            {
                onProgress?.Invoke(bytes);
                await output.FlushAsync(cancel);
            }
        }

        await writer.FlushAsync(cancel);
        await output.FlushAsync(cancel);
        return new RateSummary(rated, failed);
    }

    /// <summary>Writes the line's charge or error; true when it was rated.</summary>
    public static bool RateLine(string line, long lineNumber, PriceBook book, RatingContext context, Utf8JsonWriter writer)
    {
        var parsed = UsageEventParser.Parse(line);
        if (!parsed.IsSuccess)
        {
            var error = ChargeJson.FromFieldErrors(parsed.Errors);
            ChargeJson.WriteError(writer, parsed.Id, error with { Message = $"line {lineNumber}: {error.Message}" });
            return false;
        }

        var result = Rater.Rate(parsed.Event!, book, context);
        if (result.IsSuccess)
        {
            ChargeJson.WriteCharge(writer, result.Charge);
            return true;
        }

        ChargeJson.WriteError(writer, parsed.Id, result.Error);
        return false;
    }
}
