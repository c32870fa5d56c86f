using System.Text.RegularExpressions;

namespace Tollgate.Cli.Tests;

/// <summary>
/// The README's command-line examples: the rating example prints exactly the lines shown after it, and every
/// <c>tollgate</c> command line the README shows is accepted by the command's parser (a renamed or now required
/// option fails here).
/// </summary>
public sealed partial class ReadmeExampleTests
{
    private const string DotnetRun = "dotnet run --project src/Tollgate.Cli --";

    private static string Readme => File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));

    [Fact]
    public async Task RatingExample_PrintsTheLinesShown()
    {
        var blocks = FencePattern().Matches(Section(Readme, "## Rating usage events")).Select(m => (Kind: m.Groups[1].Value, Text: m.Groups[2].Value)).ToList();
        var command = blocks.First(b => b.Kind == "sh").Text;
        var shown = blocks.First(b => b.Kind == "json").Text.Trim();

        // The built program stands in for `dotnet run` (same code, no second build while the tests run).
        var script = command.Replace(DotnetRun, $"dotnet '{Path.Combine(AppContext.BaseDirectory, "tollgate.dll")}'", StringComparison.Ordinal);
        var result = await CliRunner.BashAsync(script);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(shown, result.Stdout.Trim());
    }

    [Fact]
    public void EveryCommandLine_Parses()
    {
        var lines = Regex.Replace(Readme, @"\\\n\s*", " ").Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Contains(DotnetRun, StringComparison.Ordinal))
            .ToList();

        Assert.True(lines.Count >= 15, $"only {lines.Count} command lines found");
        foreach (var line in lines)
        {
            var args = Words(line[(line.IndexOf(DotnetRun, StringComparison.Ordinal) + DotnetRun.Length)..]);
            var parse = CliRoot.Create().Parse(args);
            Assert.True(parse.Errors.Count == 0, $"{line}: {string.Join("; ", parse.Errors.Select(e => e.Message))}");
        }
    }

    /// <summary>Shell words of a command line: quotes group, a trailing <c># comment</c> ends it.</summary>
    private static string[] Words(string text) =>
        [.. WordPattern().Matches(text).TakeWhile(m => !m.Value.StartsWith('#')).Select(m => m.Groups["q"].Success ? m.Groups["q"].Value : m.Groups["d"].Success ? m.Groups["d"].Value : m.Value)];

    private static string Section(string markdown, string heading)
    {
        var start = markdown.IndexOf(heading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"README has no '{heading}' section");
        var end = markdown.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        return end < 0 ? markdown[start..] : markdown[start..end];
    }

    [GeneratedRegex(@"```(sh|json)\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex FencePattern();

    [GeneratedRegex("""'(?<q>[^']*)'|"(?<d>[^"]*)"|\S+""")]
    private static partial Regex WordPattern();
}
