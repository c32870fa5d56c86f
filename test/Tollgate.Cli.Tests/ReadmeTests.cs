using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Tollgate.Cli.Tests;

/// <summary>
/// The README cannot rot: its run command starts the server, and every command of its quick start runs against it,
/// unchanged, with output compared to the JSON shown after it.
/// </summary>
public sealed partial class ReadmeTests
{
    /// <summary>Fields whose values differ from run to run.</summary>
    private static readonly string[] Volatile = ["recorded_at"];

    [Fact]
    public async Task The_run_command_and_every_quick_start_command_work_as_documented()
    {
        var root = RepoPaths.Root;
        var readme = await File.ReadAllTextAsync(Path.Combine(root, "README.md"));
        var run = Blocks(Section(readme, "## Two commands")).First(b => b.Kind == "sh").Text.Trim();
        Assert.Equal("dotnet run --project src/Tollgate.Cli -- serve", run);

        await using var server = await ServeProcess.StartShellAsync(run, root);
        var steps = Blocks(Section(readme, "## Quick start")).ToList();
        var ran = 0;
        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i].Kind != "sh" || steps[i].Text.Contains("export TOLLGATE_KEY", StringComparison.Ordinal))
            {
                continue;
            }

            Assert.True(i + 1 < steps.Count && steps[i + 1].Kind == "json", $"the README shows no output after: {steps[i].Text}");
            var output = await BashAsync(steps[i].Text, server.Url, server.Key);
            var expected = Normalize(JsonNode.Parse(steps[i + 1].Text));
            var actual = Normalize(JsonNode.Parse(output));
            Assert.True(JsonNode.DeepEquals(expected, actual), $"{steps[i].Text}\nexpected: {expected}\nactual:   {actual}");
            ran++;
        }

        Assert.True(ran >= 7, $"only {ran} quick start commands found");
    }

    private static async Task<string> BashAsync(string script, string url, string key)
    {
        var result = await CliRunner.BashAsync(script, new Dictionary<string, string> { ["TOLLGATE_URL"] = url, ["TOLLGATE_KEY"] = key });
        Assert.True(result.ExitCode == 0, $"{script}\nexit {result.ExitCode}: {result.Stderr}");
        return result.Stdout;
    }

    private static JsonNode? Normalize(JsonNode? node)
    {
        if (node is JsonObject obj)
        {
            foreach (var name in Volatile)
            {
                obj.Remove(name);
            }

            foreach (var (_, child) in obj.ToList())
            {
                Normalize(child);
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var child in array)
            {
                Normalize(child);
            }
        }

        return node;
    }

    private static string Section(string markdown, string heading)
    {
        var start = markdown.IndexOf(heading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"README has no '{heading}' section");
        var end = markdown.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        return end < 0 ? markdown[start..] : markdown[start..end];
    }

    private static IEnumerable<(string Kind, string Text)> Blocks(string markdown) =>
        FencePattern().Matches(markdown).Select(m => (m.Groups[1].Value, m.Groups[2].Value));

    [GeneratedRegex(@"```(sh|json)\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex FencePattern();
}
