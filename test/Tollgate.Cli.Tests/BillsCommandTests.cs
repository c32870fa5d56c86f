using System.Text.Json;
using Tollgate.Client;
using Tollgate.Client.Contracts;

namespace Tollgate.Cli.Tests;

/// <summary><c>tollgate usage</c> and <c>tollgate bills</c> against a running server, as processes.</summary>
public sealed class BillsCommandTests
{
    [Fact]
    public async Task Usage_and_bills_print_tables_and_export_csv_and_html()
    {
        await using var server = await ServeProcess.StartAsync();
        string[] api = ["--server", server.Url, "--key", server.Key];
        var created = await CliRunner.RunAsync("", ["tenants", "create", "acme", "--tier", "100=0.9", "--tier", "1000=0.8", "--low-balance", "credits=50", .. api]);
        Assert.True(created.ExitCode == 0, created.Stderr);
        var tenant = JsonDocument.Parse(created.Stdout).RootElement;
        Assert.Equal(2, tenant.GetProperty("discount_tiers").GetArrayLength());
        Assert.Equal("50", tenant.GetProperty("low_balance").GetProperty("credits").GetString());

        var client = new TollgateClient(new Uri(server.Url + "/"), server.Key);
        var yesterday = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-1).AddHours(12), TimeSpan.Zero);
        await client.TopUpAsync("acme", new TopUpRequest("t1", TopUpKind.Recharge, "credits", 100m));
        await client.RecordBatchAsync([
            new UsageEvent("e1", "acme", yesterday, "llm_text", "GPT-4.1-1M", new Dictionary<string, decimal> { ["input_tokens"] = 1000, ["output_tokens"] = 500 }),
            new UsageEvent("e2", "acme", yesterday, "llm_text", "GPT-4o-128k", new Dictionary<string, decimal> { ["input_tokens"] = 2000, ["output_tokens"] = 100 }),
        ]);

        var usage = await CliRunner.RunAsync("", ["usage", "--tenant", "acme", "--group-by", "model", "--bucket", "day", .. api]);
        Assert.True(usage.ExitCode == 0, usage.Stderr);
        Assert.Contains("GPT-4o-128k", usage.Stdout, StringComparison.Ordinal);
        Assert.Contains("spend in credits", usage.Stdout, StringComparison.Ordinal);

        var csvFile = Path.Combine(Path.GetTempPath(), $"usage-{Guid.NewGuid():N}.csv");
        Assert.Equal(0, (await CliRunner.RunAsync("", ["usage", "--tenant", "acme", "--group-by", "model", "--csv", csvFile, .. api])).ExitCode);
        var csv = await File.ReadAllLinesAsync(csvFile);
        Assert.Equal("bucket,model,events,input_tokens,output_tokens,amount_credits", csv[0]);
        Assert.Equal(3, csv.Length);

        var day = yesterday.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var issued = await CliRunner.RunAsync("", ["bills", "issue", "acme", "--cycle", day, .. api]);
        Assert.True(issued.ExitCode == 0, issued.Stderr);
        Assert.Contains($"Bill {day}", issued.Stdout, StringComparison.Ordinal);
        Assert.Contains(day, (await CliRunner.RunAsync("", ["bills", "list", "acme", .. api])).Stdout, StringComparison.Ordinal);

        var exported = await CliRunner.RunAsync("", ["bills", "show", "acme", day, "--format", "csv", .. api]);
        Assert.StartsWith("bill,unit,row", exported.Stdout, StringComparison.Ordinal);
        var html = Path.Combine(Path.GetTempPath(), $"bill-{Guid.NewGuid():N}.html");
        Assert.Equal(0, (await CliRunner.RunAsync("", ["bills", "show", "acme", day, "--format", "html", "--output", html, .. api])).ExitCode);
        Assert.Contains($"<h1>Bill {day}</h1>", await File.ReadAllTextAsync(html), StringComparison.Ordinal);

        var open = await CliRunner.RunAsync("", ["bills", "issue", "acme", "--cycle", DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), .. api]);
        Assert.Equal(1, open.ExitCode);
        Assert.Contains("409 cycle_open (cycle)", open.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BillsList_InPages_PrintsOneRowPerBillWithinEightyColumnsAndTheNextCursor()
    {
        await using var server = await ServeProcess.StartAsync();
        string[] api = ["--server", server.Url, "--key", server.Key];
        var client = new TollgateClient(new Uri(server.Url + "/"), server.Key);
        await client.CreateTenantAsync(new TenantRequest("acme"));
        await client.TopUpAsync("acme", new TopUpRequest("t1", TopUpKind.Recharge, "credits", 1000m));
        var today = DateTime.UtcNow.Date;
        await client.RecordBatchAsync([.. Enumerable.Range(3, 5).Select(d => new UsageEvent(
            $"e{d}", "acme", new DateTimeOffset(today.AddDays(-d).AddHours(12), TimeSpan.Zero), "llm_text", "GPT-4.1-1M",
            new Dictionary<string, decimal> { ["input_tokens"] = 123_456, ["output_tokens"] = 7_891 }))]);
        await client.IssueBillAsync("acme", new IssueBillRequest(DateOnly.FromDateTime(today.AddDays(-3))));

        var page = await CliRunner.RunAsync("", ["bills", "list", "acme", "--limit", "2", .. api]);
        Assert.True(page.ExitCode == 0, page.Stderr);
        Assert.All(page.Lines, line => Assert.True(line.TrimEnd('\r').Length <= 80, $"{line.Length} columns: {line}"));
        var days = Enumerable.Range(3, 2).Select(d => today.AddDays(-d).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Assert.All(days, day => Assert.Single(page.Lines, l => l.Contains(day, StringComparison.Ordinal) && l.Contains("credits", StringComparison.Ordinal)));
        var more = Assert.Single(page.Lines, l => l.StartsWith("more: --cursor ", StringComparison.Ordinal));

        var rest = await CliRunner.RunAsync("", ["bills", "list", "acme", "--limit", "2", "--cursor", more["more: --cursor ".Length..].Trim(), "--all", .. api]);
        Assert.True(rest.ExitCode == 0, rest.Stderr);
        Assert.Equal(3, rest.Lines.Count(l => l.Contains("credits", StringComparison.Ordinal)));
        Assert.DoesNotContain(rest.Lines, l => l.StartsWith("more:", StringComparison.Ordinal));
    }
}
