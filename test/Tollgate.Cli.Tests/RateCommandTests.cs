using System.Text.Json;

namespace Tollgate.Cli.Tests;

public sealed class RateCommandTests
{
    private const string Gpt41 = """{"id":"a","tenant":"t","time":"2025-03-01T10:00:00+08:00","type":"llm_text","model":"GPT-4.1-1M","usage":{"input_tokens":1000,"output_tokens":1000}}""";

    [Fact]
    public async Task Rate_OneEvent_WritesChargeLine()
    {
        var result = await CliRunner.RunAsync(Gpt41 + "\n", "rate", "--catalog", "gptbots");

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(Assert.Single(result.Lines));
        var root = doc.RootElement;
        Assert.Equal("a", root.GetProperty("id").GetString());
        Assert.Equal("1.1", root.GetProperty("total").GetString());
        Assert.Equal("credits", root.GetProperty("unit").GetString());
        Assert.Equal("gptbots@1", root.GetProperty("price_book").GetString());
        Assert.Equal(2, root.GetProperty("lines").GetArrayLength());
        Assert.Equal("0.22", root.GetProperty("lines")[0].GetProperty("amount").GetString());
    }

    [Fact]
    public async Task Rate_BadLineInMiddle_ReportsItAndGoesOn()
    {
        var input = string.Join('\n', Gpt41, "{not json", """{"id":"c","tenant":"t","time":"2025-03-01T10:00:00Z","type":"llm_text","model":"nope","usage":{"input_tokens":1}}""", Gpt41.Replace("\"a\"", "\"d\"", StringComparison.Ordinal)) + "\n";

        var result = await CliRunner.RunAsync(input, "rate", "--catalog", "gptbots");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(4, result.Lines.Length);
        Assert.Equal("malformed_json", Error(result.Lines[1]));
        Assert.Equal("unknown_model", Error(result.Lines[2]));
        Assert.Contains("\"id\":\"d\"", result.Lines[3], StringComparison.Ordinal);
        Assert.Contains("rated 2 events, 2 errors", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("free", "1")]
    [InlineData("premium", "0.1")]
    public async Task Rate_PlanOption_SelectsPlanPrice(string plan, string total)
    {
        var e = """{"id":"p","tenant":"t","time":"2025-03-01T10:00:00Z","type":"llm_text","model":"GPT-4o mini (128k)","channel":"editor","usage":{"calls":1}}""";

        var result = await CliRunner.RunAsync(e + "\n", "rate", "--catalog", "coze-credits", "--plan", plan);

        Assert.Contains($"\"total\":\"{total}\"", Assert.Single(result.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rate_CatalogFromFileAndInputFile_Works()
    {
        var dir = Directory.CreateTempSubdirectory();
        var events = Path.Combine(dir.FullName, "events.jsonl");
        await File.WriteAllTextAsync(events, """{"id":"v","tenant":"t","time":"2025-03-01T10:00:00Z","type":"video_generation","model":"veo-3","attributes":{"priority":"yes"},"usage":{"video_seconds":8}}""" + "\n");
        var book = Path.Combine(FindRoot(), "docs", "examples", "gateway-usd.yaml");

        var result = await CliRunner.RunAsync(string.Empty, "rate", "--catalog", book, "--input", events, "--user-discount", "0.5");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\"total\":\"5.4\"", Assert.Single(result.Lines), StringComparison.Ordinal); // 8 x 0.75 x 1.8 x 0.5
    }

    [Fact]
    public async Task Rate_UnknownCatalog_FailsWithMessage()
    {
        var result = await CliRunner.RunAsync(string.Empty, "rate", "--catalog", "nope");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'nope' is neither a built-in price book", result.Stderr, StringComparison.Ordinal);
    }

    private static string Error(string line)
    {
        using var doc = JsonDocument.Parse(line);
        return doc.RootElement.GetProperty("error").GetProperty("code").GetString()!;
    }

    internal static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Tollgate.slnx")))
        {
            dir = dir.Parent;
        }

        return dir!.FullName;
    }
}
