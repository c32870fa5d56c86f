namespace Tollgate.Cli.Tests;

public sealed class CatalogCommandTests
{
    [Fact]
    public async Task List_ShowsBuiltIns()
    {
        var result = await CliRunner.RunAsync(string.Empty, "catalog", "list");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("coze-credits", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("gptbots", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("agent-voice", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_FilteredByType_ListsItsItems()
    {
        var result = await CliRunner.RunAsync(string.Empty, "catalog", "show", "gptbots", "--type", "tts");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("CosyVoice", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("GPT-4.1-1M", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ValidFile_SaysOk()
    {
        var result = await CliRunner.RunAsync(string.Empty, "catalog", "validate", Path.Combine(RateCommandTests.FindRoot(), "catalogs", "gptbots.yaml"));

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("ok: gptbots, 1 version(s), 118 item(s)", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_InvalidFile_ListsEveryProblem()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, """
            id: broken
            versions:
              - version: "1"
                effective_from: 2025-01-01T00:00:00Z
                settlement: { unit: credits }
                groups:
                  - types: [llm_text]
                    items:
                      - { model: a, prices: { input_tokens: -1 } }
                      - { model: b, prices: { output_tokenz: 1 } }
            """);

        var result = await CliRunner.RunAsync(string.Empty, "catalog", "validate", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("items[0].prices.input_tokens: must not be negative", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("items[1].prices.output_tokenz: 'output_tokenz' is not a meter", result.Stderr, StringComparison.Ordinal);
    }
}
