using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using NodaTime;
using Tollgate.Client.Contracts;
using Tollgate.Core.Catalogs;

namespace Tollgate.Server.Tests;

/// <summary>
/// /metrics (issue 12): spend, arrears, events, latencies, holds, bills, webhook deliveries and the record queue, with
/// bounded labels; the spend counter equals the ledger's charges; the Grafana dashboard only charts series that exist.
/// </summary>
public sealed partial class MetricsTests
{
    private static readonly string[] Models = ["GPT-4.1-1M", "GPT-4o-mini-128k", "GPT-4o-128k"];

    [Theory]
    [MemberData(nameof(TestServer.Engines), MemberType = typeof(TestServer))]
    public async Task Spend_EventsReplayedThroughTheApi_EqualsTheLedgersChargesPerUnitWithBoundedLabels(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        var events = await ExerciseAsync(server);
        var text = await server.Raw().GetStringAsync("metrics");

        var ledger = await LedgerAsync(server, ["m-acme", "m-poor", "m-strict"]);
        var spend = Series(text, "tollgate_spend_total");
        Assert.NotEmpty(ledger.Charges);
        Assert.Equal(ledger.Charges.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => (c.Key, c.Value)), SumBy(spend, "unit"));
        Assert.NotEmpty(ledger.Arrears);
        Assert.Equal(ledger.Arrears.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => (c.Key, c.Value)), SumBy(Series(text, "tollgate_arrears_total"), "unit"));
        Assert.NotEmpty(ledger.Uncollected);
        Assert.Equal(ledger.Uncollected.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => (c.Key, c.Value)), SumBy(Series(text, "tollgate_uncollected_total"), "unit"));
        var items = BuiltInItems();
        Assert.All(spend, s => Assert.Contains(s.Labels["model"], items));
        Assert.All(events, id => Assert.DoesNotContain($"\"{id}\"", text, StringComparison.Ordinal));
        Assert.DoesNotContain("m-acme", text, StringComparison.Ordinal);
        Assert.DoesNotContain("m-strict", text, StringComparison.Ordinal);

        Assert.Equal(2d, Series(text, "tollgate_events_total").Single(s => s.Labels["status"] == "duplicate").Value);
        Assert.Equal(1d, Series(text, "tollgate_events_total").Single(s => s.Labels["code"] == "unknown_model").Value);
        Assert.Equal(2d, Series(text, "tollgate_record_duration_seconds_count").Single(s => s.Labels["path"] == "batch").Value);
        Assert.Equal(2d, Series(text, "tollgate_settle_duration_seconds_count").Single().Value);
        Assert.Equal(1d, Series(text, "tollgate_holds_outstanding").Single(s => s.Labels["unit"] == "credits").Value);
        Assert.Equal(1d, Series(text, "tollgate_bills_issued_total").Single(s => s.Labels["period"] == "daily").Value);
        Assert.Equal(0d, Series(text, "tollgate_record_queue_depth").Single().Value);
        Assert.Equal(0d, Series(text, "tollgate_write_queue_depth").Single().Value);

        // Three holds and two settlements, one after another: at least five group commits.
        Assert.True(Series(text, "tollgate_write_commits_total").Single().Value >= 5d);
        Assert.Equal((double)server.Records.Commits, Series(text, "tollgate_record_commits_total").Single().Value);
        Assert.Equal((double)server.Records.Events, Series(text, "tollgate_record_grouped_events_total").Single().Value);
        Assert.True(server.Records.Events >= server.Records.Commits && server.Records.Commits >= 1);

        // The collector's figures are the process's own, and only grow: a batch of a thousand events allocates megabytes.
        var allocated = Series(text, "dotnet_gc_allocated_bytes_total").Single().Value;
        Assert.True(allocated > 0d);
        var batch = string.Join(',', Enumerable.Range(0, 1000).Select(i => $$$"""{"id":"gc-{{{i}}}","tenant":"m-acme","time":"2026-11-20T10:00:00Z","type":"llm_text","model":"gpt-4o-mini","usage":{"input_tokens":{{{i + 1}}}}}"""));
        Assert.Equal(200, (await Requests.PostAsync(server.Raw(server.OperatorKey), "v1/events/batch", $$"""{"events":[{{batch}}]}""")).Status);
        var after = await server.Raw().GetStringAsync("metrics");
        Assert.True(Series(after, "dotnet_gc_allocated_bytes_total").Single().Value > allocated + 1_000_000d);
        Assert.True(Series(after, "dotnet_gc_pause_seconds_total").Single().Value >= Series(text, "dotnet_gc_pause_seconds_total").Single().Value);
    }

    [Fact]
    public async Task Dashboard_EveryMetricItCharts_IsServedAtMetrics()
    {
        await using var server = await TestServer.StartAsync();
        await ExerciseAsync(server);
        var text = await server.Raw().GetStringAsync("metrics");
        var served = TypeLine().Matches(text).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "grafana", "tollgate.json")));
        var expressions = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.TryGetProperty("targets", out var t) ? t.EnumerateArray() : Enumerable.Empty<JsonElement>())
            .Select(t => t.GetProperty("expr").GetString()!).ToList();
        var charted = expressions.SelectMany(e => MetricName().Matches(e).Select(m => m.Value)).Distinct().ToList();

        Assert.True(expressions.Count >= 10, $"{expressions.Count} queries");
        Assert.Equal([], charted.Where(name => !served.Contains(Regex.Replace(name, "_(bucket|sum|count)$", string.Empty))).ToList());
        Assert.All(new[] { "tollgate_spend_total", "tollgate_events_total", "tollgate_holds_outstanding", "tollgate_record_queue_depth", "tollgate_webhook_deliveries_total" },
            name => Assert.Contains(name, charted));
    }

    /// <summary>Batches, single events, a repeat, a refusal, a reservation settled and one held, arrears, a bill and a failed webhook.</summary>
    private static async Task<List<string>> ExerciseAsync(TestServer server)
    {
        await Samples.FundedTenantAsync(server, "m-acme");
        await Samples.FundedTenantAsync(server, "m-poor", credits: 0.001m);
        var ids = new List<string>();
        var batch = Enumerable.Range(0, 60).Select(i => Samples.Llm($"b{i}", i % 4 == 0 ? "m-poor" : "m-acme", input: 100 + (i * 37), output: 7 * i, model: Models[i % Models.Length])).ToList();
        ids.AddRange(batch.Select(e => e.Id));
        await server.Operator.RecordBatchAsync(batch);
        await server.Operator.RecordBatchAsync([batch[0], batch[1], Samples.Llm("nope", "m-acme", model: "no-such-model")]);
        foreach (var i in Enumerable.Range(0, 5))
        {
            ids.Add($"s{i}");
            await server.Operator.RecordAsync(Samples.Llm($"s{i}", "m-acme", input: 3_333 * (i + 1), model: Models[i % Models.Length]));
        }

        await server.Operator.ReserveAsync("m-acme", new ReservationRequest("r1", Amount: 5m, Unit: "credits"));
        await server.Operator.SettleAsync("m-acme", "r1", Samples.Llm("r1-usage", "m-acme", input: 2_000));
        await Samples.FundedTenantAsync(server, "m-strict", credits: 0.01m, strict: true);
        await server.Operator.ReserveAsync("m-strict", new ReservationRequest("r3", Amount: 0.005m, Unit: "credits"));
        await server.Operator.SettleAsync("m-strict", "r3", Samples.Llm("r3-usage", "m-strict", input: 5_000));
        await server.Operator.CreateWebhookAsync(new WebhookRequest("http://127.0.0.1:9/unreachable", "m-acme", ["bill_issued"]));
        server.Clock.Set(Instant.FromUtc(2026, 1, 1, 16, 0, 1));
        await server.Operator.IssueBillAsync("m-acme", new IssueBillRequest(new DateOnly(2026, 1, 1)));
        await server.Operator.ReserveAsync("m-acme", new ReservationRequest("r2", Amount: 5m, Unit: "credits"));
        for (var wait = 0; wait < 100 && !(await server.Raw().GetStringAsync("metrics")).Contains("tollgate_webhook_deliveries_total{", StringComparison.Ordinal); wait++)
        {
            await Task.Delay(100);
        }

        return ids;
    }

    private static async Task<(Dictionary<string, decimal> Charges, Dictionary<string, decimal> Arrears, Dictionary<string, decimal> Uncollected)> LedgerAsync(TestServer server, string[] tenants)
    {
        var charges = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var arrears = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var uncollected = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (_, result) in await server.Store.ChargedEventsAsync(tenants, null, null, 100_000))
        {
            charges[result.Unit!] = charges.GetValueOrDefault(result.Unit!) + result.Amount;
            if (result.Arrears != 0m)
            {
                arrears[result.Unit!] = arrears.GetValueOrDefault(result.Unit!) + result.Arrears;
            }

            if (result.Uncollected != 0m)
            {
                uncollected[result.Unit!] = uncollected.GetValueOrDefault(result.Unit!) + result.Uncollected;
            }
        }

        return (charges, arrears, uncollected);
    }

    private static HashSet<string> BuiltInItems() =>
        [.. BuiltInCatalogs.All.SelectMany(b => b.Versions).SelectMany(v => v.Items).Select(i => i.QualifiedName)];

    /// <summary>A sample: its labels and its value as printed (a money counter prints the exact sum's nearest double, which reads back exactly).</summary>
    private sealed record Sample(Dictionary<string, string> Labels, string Text)
    {
        public double Value => double.Parse(Text, CultureInfo.InvariantCulture);

        public decimal Exact => decimal.Parse(Text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    private static List<Sample> Series(string text, string name) =>
        [.. text.Split('\n').Select(l => SampleLine().Match(l)).Where(m => m.Success && m.Groups[1].Value == name).Select(m => new Sample(
            LabelPair().Matches(m.Groups[2].Value).ToDictionary(p => p.Groups[1].Value, p => p.Groups[2].Value, StringComparer.Ordinal),
            m.Groups[3].Value))];

    /// <summary>The sum of a money series per value of one label, in decimal.</summary>
    private static IEnumerable<(string, decimal)> SumBy(List<Sample> series, string label) =>
        series.GroupBy(s => s.Labels[label]).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.Sum(s => s.Exact)));

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$")]
    private static partial Regex SampleLine();

    [GeneratedRegex("([a-z_]+)=\"([^\"]*)\"")]
    private static partial Regex LabelPair();

    [GeneratedRegex(@"^# TYPE (\S+) ", RegexOptions.Multiline)]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"\b(?:tollgate|http|process|dotnet)_[a-z_]+\b")]
    private static partial Regex MetricName();
}
