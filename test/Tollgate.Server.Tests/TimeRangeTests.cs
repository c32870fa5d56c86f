namespace Tollgate.Server.Tests;

/// <summary>Times at the edges of the calendar are a 400 with a code, never an overflow's 500 (issue 11, item 8).</summary>
public sealed class TimeRangeTests
{
    [Theory]
    [MemberData(nameof(TestServer.Engines), MemberType = typeof(TestServer))]
    public async Task Times_outside_the_supported_range_are_400_time_out_of_range(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        await Samples.FundedTenantAsync(server, "acme");
        var before = await Snapshot.TakeAsync(server, "acme");
        using var http = server.Raw(server.OperatorKey);
        foreach (var time in new[] { "9999-12-31T23:59:59Z", "9999-12-31T23:59:59-18:00", "9000-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "0001-01-01T00:00:00+18:00" })
        {
            await RejectedEverywhereAsync(http, time, "time_out_of_range");
        }

        foreach (var cycle in new[] { "9999-12-31", "9000-01-01", "0001-01-01" })
        {
            var (status, problem) = await Requests.PostAsync(http, "v1/tenants/acme/bills", $$"""{"cycle":"{{cycle}}"}""");
            Assert.True(status == 400, $"bill {cycle}: {status} {problem}");
            Assert.Equal(("time_out_of_range", "cycle"), (problem.Code(), problem.Field()));
        }

        var (topUp, topUpProblem) = await Requests.PostAsync(http, "v1/tenants/acme/topups", """{"id":"t-far","kind":"grant","unit":"credits","amount":1,"expires_at":"9999-12-31T23:59:59Z"}""");
        Assert.Equal((400, "expires_at"), (topUp, topUpProblem.Field()));
        Assert.Equal(before, await Snapshot.TakeAsync(server, "acme"));

        // Inside the range, far times work.
        Assert.Equal(200, (await Requests.SendAsync(http, "GET", "v1/usage?tenant=acme&from=1970-01-01T00:00:00Z&to=8999-12-31T00:00:00Z&bucket=month")).Status);
    }

    [Theory]
    [MemberData(nameof(TestServer.Engines), MemberType = typeof(TestServer))]
    public async Task Offsets_past_eighteen_hours_are_400_invalid_field_not_500(string engine)
    {
        // NodaTime's ISO pattern throws for an offset it cannot hold instead of failing the parse: this was a 500.
        await using var server = await TestServer.StartAsync(engine);
        await Samples.FundedTenantAsync(server, "acme");
        var before = await Snapshot.TakeAsync(server, "acme");
        using var http = server.Raw(server.OperatorKey);
        foreach (var time in new[] { "2025-03-01T09:30:00+19:00", "2025-03-01T09:30:00-18:01", "2025-03-01T09:30:00+23" })
        {
            await RejectedEverywhereAsync(http, time, "invalid_field");
        }

        Assert.Equal(before, await Snapshot.TakeAsync(server, "acme"));
    }

    /// <summary>The time is refused with <paramref name="code"/> as an event's, in a batch, and as each time of a query.</summary>
    private static async Task RejectedEverywhereAsync(HttpClient http, string time, string code)
    {
        var (status, problem) = await Requests.PostAsync(http, "v1/events", Requests.Event(time: time));
        Assert.True(status == 400, $"event at {time}: {status} {problem}");
        Assert.Equal((code, "time"), (problem.Code(), problem.Field()));

        var (batchStatus, batch) = await Requests.PostAsync(http, "v1/events/batch", $$"""{"events":[{{Requests.Event(time: time)}}]}""");
        Assert.Equal(200, batchStatus);
        Assert.Equal(code, batch.GetProperty("results")[0].GetProperty("error").GetProperty("code").GetString());

        var query = Uri.EscapeDataString(time);
        foreach (var (path, field) in new[]
        {
            ($"v1/usage?tenant=acme&to={query}", "to"),
            ($"v1/usage?tenant=acme&from={query}", "from"),
            ($"v1/usage?from=2026-01-01T00:00:00Z&to={query}&bucket=day", "to"),
            ($"v1/tenants/acme/transfers?to={query}", "to"),
            ($"v1/tenants/acme/transfers?from={query}", "from"),
        })
        {
            var (getStatus, getProblem) = await Requests.SendAsync(http, "GET", path);
            Assert.True(getStatus == 400, $"{path}: {getStatus} {getProblem}");
            Assert.Equal((code, field), (getProblem.Code(), getProblem.Field()));
        }
    }
}
