using Tollgate.Client;
using Tollgate.Client.Contracts;

namespace Tollgate.Cli.Tests;

/// <summary>
/// <c>tollgate catalog list|show|push|dry-run|import</c> against a real server process: a new book may start in the
/// past, a new version of it may not, and a dry run compares the totals of stored events in a table.
/// </summary>
public sealed class CatalogServerCommandTests
{
    private static string Book(params (string Version, string From, decimal Input)[] versions) => $"""
        id: acme-prices
        name: Acme's prices
        versions:
        {string.Concat(versions.Select(v => $"""
          - version: "{v.Version}"
            effective_from: {v.From}
            settlement: {"{"} unit: credits {"}"}
            groups:
              - types: [llm_text]
                per: 1K
                items:
                  - {"{"} model: m1, prices: {"{"} input_tokens: {v.Input}, output_tokens: 2 {"}"} {"}"}

        """))}
        """;

    [Fact]
    public async Task Push_list_show_and_dry_run_manage_the_servers_books()
    {
        await using var server = await ServeProcess.StartAsync();
        string[] api = ["--server", server.Url, "--key", server.Key];
        var folder = Directory.CreateTempSubdirectory("tollgate-catalog-").FullName;
        var first = Path.Combine(folder, "v1.yaml");
        await File.WriteAllTextAsync(first, Book(("1", "2024-01-01T00:00:00Z", 1m)));

        // A brand-new book dated in the past: nothing was priced with it, so it is accepted.
        var created = await CliRunner.RunAsync("", ["catalog", "push", first, .. api]);
        Assert.True(created.ExitCode == 0, created.Stderr);
        Assert.Equal("created acme-prices with version(s) 1", created.Stdout.Trim());

        var list = await CliRunner.RunAsync("", ["catalog", "list", .. api]);
        Assert.True(list.ExitCode == 0, list.Stderr);
        Assert.Contains("acme-prices", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("gptbots", list.Stdout, StringComparison.Ordinal);
        var show = await CliRunner.RunAsync("", ["catalog", "show", "acme-prices", .. api]);
        Assert.True(show.ExitCode == 0, show.Stderr);
        Assert.Contains("input_tokens 1 credits/1000", show.Stdout, StringComparison.Ordinal);

        var client = new TollgateClient(new Uri(server.Url + "/"), server.Key);
        await client.CreateTenantAsync(new TenantRequest("acme", PriceBook: "acme-prices"));
        await client.TopUpAsync("acme", new TopUpRequest("r1", TopUpKind.Recharge, "credits", 100m));
        var usage = new Dictionary<string, decimal> { ["input_tokens"] = 1000, ["output_tokens"] = 1000 };
        Assert.Equal(3m, (await client.RecordAsync(new UsageEvent("e1", "acme", DateTimeOffset.Parse("2025-06-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), "llm_text", "m1", usage))).Amount);

        var candidate = Path.Combine(folder, "v2.yaml");
        await File.WriteAllTextAsync(candidate, Book(("1", "2024-01-01T00:00:00Z", 1m), ("2", "2030-01-01T00:00:00Z", 2m)));
        var dryRun = await CliRunner.RunAsync("", ["catalog", "dry-run", candidate, .. api]);
        Assert.True(dryRun.ExitCode == 0, dryRun.Stderr);
        Assert.Contains("acme-prices@2: 1 event(s), 1 priced differently", dryRun.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"credits\s*│\s*3\s*│\s*4\s*│\s*1", dryRun.Stdout);

        // A new version of an existing book must not be retroactive: one line, exit 1.
        var past = Path.Combine(folder, "past.yaml");
        await File.WriteAllTextAsync(past, Book(("1", "2024-01-01T00:00:00Z", 1m), ("2", "2024-06-01T00:00:00Z", 2m)));
        var refused = await CliRunner.RunAsync("", ["catalog", "push", past, .. api]);
        Assert.Equal(1, refused.ExitCode);
        Assert.StartsWith("error: 400 effective_in_past", Assert.Single(refused.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);

        var added = await CliRunner.RunAsync("", ["catalog", "push", candidate, .. api]);
        Assert.True(added.ExitCode == 0, added.Stderr);
        Assert.Equal("added version(s) 2 to acme-prices", added.Stdout.Trim());
        Assert.Equal(["1", "2"], (await client.GetPriceBookAsync("acme-prices")).Versions.Select(v => v.Version));
    }

    [Fact]
    public async Task Import_litellm_writes_a_valid_book_and_pushes_it()
    {
        await using var server = await ServeProcess.StartAsync();
        var map = Path.Combine(RepoPaths.Root, "test", "Tollgate.Core.Tests", "Fixtures", "litellm", "model_prices_excerpt.json");
        var output = Path.Combine(Directory.CreateTempSubdirectory("tollgate-import-").FullName, "litellm.yaml");

        var import = await CliRunner.RunAsync("", ["catalog", "import", "litellm", map, "--id", "litellm", "--output", output, "--server", server.Url, "--key", server.Key]);

        Assert.True(import.ExitCode == 0, import.Stderr);
        Assert.Contains("not imported: dataforseo/search: mode 'search' has no Tollgate billing type", import.Stdout, StringComparison.Ordinal);
        Assert.Contains($"imported 34 of 40 entries into {output}", import.Stdout, StringComparison.Ordinal);
        Assert.Equal("created litellm with version(s)", import.Lines[^1][..31]);
        var validate = await CliRunner.RunAsync("", ["catalog", "validate", output]);
        Assert.StartsWith("ok: litellm, 1 version(s), 34 item(s)", validate.Stdout, StringComparison.Ordinal);

        var client = new TollgateClient(new Uri(server.Url + "/"), server.Key);
        await client.CreateTenantAsync(new TenantRequest("gw", PriceBook: "litellm"));
        var quote = await client.QuoteAsync(new UsageEvent("q1", "gw", DateTimeOffset.UtcNow.AddMinutes(2), "llm_text", "gpt-4o", new Dictionary<string, decimal> { ["input_tokens"] = 1000, ["output_tokens"] = 500 }));
        Assert.Equal(0.0075m, quote.Charge.Total);
    }
}
