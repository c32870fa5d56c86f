using System.Text.Json;

namespace Tollgate.Server.Tests;

/// <summary>Different bodies under one event id are a conflict, never a duplicate (issue 11, item 9).</summary>
public sealed class FingerprintTests
{
    [Theory]
    [MemberData(nameof(TestServer.Engines), MemberType = typeof(TestServer))]
    public async Task Bodies_that_differ_only_in_where_a_text_breaks_are_409_not_duplicates(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        await Samples.FundedTenantAsync(server, "acme");
        using var http = server.Raw(server.OperatorKey);
        (string First, string Second)[] pairs =
        [
            (Content("c-1", "hello\nworld ", "x"), Content("c-1", "hello", "world \nx")),
            (Attributes("a-2", new() { ["k"] = "v=w" }), Attributes("a-2", new() { ["k=v"] = "w" })),
        ];
        foreach (var (first, second) in pairs)
        {
            var (status, body) = await Requests.PostAsync(http, "v1/events", first);
            Assert.True(status == 200, $"{first}: {status} {body}");
            Assert.Equal(200, (await Requests.PostAsync(http, "v1/events", first)).Status);
            var (again, problem) = await Requests.PostAsync(http, "v1/events", second);
            Assert.True(again == 409, $"{second} after {first}: {again} {problem}");
            Assert.Equal("idempotency_conflict", problem.Code());
        }

        // The attribute pair cannot even be sent now: a line break in an attribute is refused.
        var (refused, why) = await Requests.PostAsync(http, "v1/events", Attributes("a-1", new() { ["k"] = "v\nz=1" }));
        Assert.Equal((400, "attributes.k"), (refused, why.Field()));
    }

    [Theory]
    [MemberData(nameof(TestServer.Engines), MemberType = typeof(TestServer))]
    public async Task Settling_a_settled_hold_again_with_the_same_event_id_and_another_body_is_409(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        await Samples.FundedTenantAsync(server, "acme");
        using var http = server.Raw(server.OperatorKey);
        Assert.Equal(201, (await Requests.PostAsync(http, "v1/tenants/acme/reservations", """{"id":"h-1","amount":5,"unit":"credits"}""")).Status);
        var settle = Requests.Event(id: "s-1");
        Assert.Equal(200, (await Requests.PostAsync(http, "v1/tenants/acme/reservations/h-1/settle", $$"""{"event":{{settle}}}""")).Status);
        var (duplicate, first) = await Requests.PostAsync(http, "v1/tenants/acme/reservations/h-1/settle", $$"""{"event":{{settle}}}""");
        Assert.Equal(200, duplicate);
        Assert.True(first.GetProperty("duplicate").GetBoolean());

        var bigger = settle.Replace("\"input_tokens\":1000", "\"input_tokens\":999999", StringComparison.Ordinal);
        Assert.NotEqual(settle, bigger);
        var before = await Snapshot.TakeAsync(server, "acme");
        var (status, problem) = await Requests.PostAsync(http, "v1/tenants/acme/reservations/h-1/settle", $$"""{"event":{{bigger}}}""");
        Assert.True(status == 409, $"{status} {problem}");
        Assert.Equal("idempotency_conflict", problem.Code());
        Assert.Equal(before, await Snapshot.TakeAsync(server, "acme"));
    }

    private static string Content(string id, string input, string output) =>
        Requests.Event(id: id, extra: $",\"content\":{{\"input_text\":{JsonSerializer.Serialize(input)},\"output_text\":{JsonSerializer.Serialize(output)}}}")
            .Replace("\"usage\":{\"input_tokens\":1000,\"output_tokens\":10},", string.Empty, StringComparison.Ordinal);

    private static string Attributes(string id, Dictionary<string, string> attributes) =>
        Requests.Event(id: id, extra: $",\"attributes\":{JsonSerializer.Serialize(attributes)}");
}
