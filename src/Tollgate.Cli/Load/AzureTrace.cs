using System.Globalization;

namespace Tollgate.Cli.Load;

/// <summary>One call of the Azure LLM inference trace (2023): when it arrived and its token counts.</summary>
internal sealed record TraceCall(string Source, int Row, DateTimeOffset Time, long InputTokens, long OutputTokens);

/// <summary>Reads the trace's CSV files (TIMESTAMP,ContextTokens,GeneratedTokens), merged in arrival order.</summary>
internal static class AzureTrace
{
    /// <summary>
    /// The copy committed in the repository (traces/azure-llm-inference-2023, CC-BY 4.0), looked for above the working
    /// folder and above the program (so <c>dotnet run</c> and the built tool find it); the relative path when neither has it.
    /// </summary>
    public static string DefaultPath()
    {
        var relative = Path.Combine("traces", "azure-llm-inference-2023");
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (Directory.Exists(Path.Combine(dir.FullName, relative)))
                {
                    return Path.Combine(dir.FullName, relative);
                }
            }
        }

        return relative;
    }

    public static IReadOnlyList<TraceCall> Read(string path)
    {
        var files = Directory.Exists(path) ? Directory.GetFiles(path, "*.csv").Order(StringComparer.Ordinal).ToArray() : [path];
        var calls = new List<TraceCall>();
        foreach (var file in files)
        {
            var source = Path.GetFileNameWithoutExtension(file);
            var row = 0;
            foreach (var line in File.ReadLines(file).Skip(1))
            {
                row++;
                var parts = line.Split(',');
                if (parts.Length != 3
                    || !DateTime.TryParseExact(parts[0], "yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
                    || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var input)
                    || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var output))
                {
                    throw new FormatException($"{file}:{row + 1}: not TIMESTAMP,ContextTokens,GeneratedTokens: {line}");
                }

                calls.Add(new TraceCall(source, row, new DateTimeOffset(time, TimeSpan.Zero), input, output));
            }
        }

        return [.. calls.OrderBy(c => c.Time).ThenBy(c => c.Source, StringComparer.Ordinal).ThenBy(c => c.Row)];
    }
}
