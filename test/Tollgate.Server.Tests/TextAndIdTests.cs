using System.Text.Json;

namespace Tollgate.Server.Tests;

/// <summary>
/// Text is checked once, alike for every engine (no NUL or control characters, a length limit), a bad item of a
/// batch fails alone, and every accepted id is reachable by its URL (issue 11, items 7 and 10).
/// </summary>
public sealed class TextAndIdTests
{
    [Theory]
    [MemberData(nameof(TestServer.Engines), MemberType = typeof(TestServer))]
    public async Task Nul_and_control_characters_are_400_naming_the_field_on_every_engine(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        await Samples.FundedTenantAsync(server, "acme");
        var before = await Snapshot.TakeAsync(server, "acme");
        using var http = server.Raw(server.OperatorKey);
        (string Path, string Body, string Field)[] cases =
        [
            ("v1/events", Requests.Event(subject: "u\u0000ser"), "subject"),
            ("v1/events", Requests.Event(id: "e\u00001"), "id"),
            ("v1/events", Requests.Event(channel: "web\u0007"), "channel"),
            ("v1/events", Requests.Event(extra: ",\"attributes\":{\"quality\":\"hd\\u0000\"}"), "attributes.quality"),
            ("v1/events", Requests.Event(extra: ",\"content\":{\"input_text\":\"hello\\u0000\"}"), "content.input_text"),
            ("v1/events/quote", Requests.Event(subject: "\u001b[31mred"), "subject"),
            ("v1/tenants/acme/users", """{"id":"u-1","name":"Ali\u0000ce"}""", "name"),
            ("v1/tenants/acme/users", """{"id":"u\u00001"}""", "id"),
            ("v1/keys", """{"name":"k\u0000","tenant":"acme"}""", "name"),
            ("v1/tenants/acme/adjustments", """{"account_id":1,"amount":1,"reason":"why\u0000"}""", "reason"),
            ("v1/tenants/acme/topups", """{"id":"t-1","kind":"grant","unit":"credits","amount":1,"owner":"u\u0000"}""", "owner"),
            ("v1/tenants/acme/reservations", """{"id":"r-1","amount":1,"unit":"credits","owner":"u\u0000"}""", "owner"),

            // An enum's reader trims white space, U+0085 included: the fuzz suite found "recharge\u0085" accepted.
            ("v1/tenants/acme/topups", """{"id":"t-2","kind":"recharge\u0085","unit":"credits","amount":1}""", "kind"),
            ("v1/tenants", """{"id":"beta","funding_order":"priority\u0085"}""", "funding_order"),
        ];
        foreach (var (path, body, field) in cases)
        {
            var (status, problem) = await Requests.PostAsync(http, path, body);
            Assert.True(status == 400, $"{path} {body}: {status} {problem}");
            Assert.Equal(field, problem.Field());
        }

        foreach (var (path, field) in new[]
        {
            ("v1/usage?tenant=acme&subject=a%00b", "subject"),
            ("v1/usage?tenant=acme%00", "tenant"),
            ("v1/tenants/acme/transfers?from=2026-01-01T00:00:00Z%00", "from"),
            ("v1/tenants/acme%07/balances", "tenant"),
            ("v1/tenants/acme/events/e%1B", "id"),
            ("v1/keys?tenant=acme%01", "tenant"),
        })
        {
            var (status, problem) = await Requests.SendAsync(http, "GET", path);
            Assert.True(status == 400 && problem.Field() == field, $"{path}: {status} {problem}");
        }

        // A NUL in the path itself is refused by Kestrel before routing.
        Assert.Equal(400, (await Requests.SendAsync(http, "GET", "v1/tenants/acme%00/balances")).Status);
        Assert.Equal(before, await Snapshot.TakeAsync(server, "acme"));
    }

    [Theory]
    [MemberData(nameof(TestServer.Engines), MemberType = typeof(TestServer))]
    public async Task A_bad_item_in_a_batch_fails_alone_and_the_others_are_recorded(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        await Samples.FundedTenantAsync(server, "acme");
        using var http = server.Raw(server.OperatorKey);
        var batch = $$"""{"events":[{{Requests.Event(id: "good-1")}},{{Requests.Event(id: "bad-1", subject: "nul\u0000")}},{{Requests.Event(id: "good-2")}},{{Requests.Event(id: "a/b")}}]}""";
        var (status, body) = await Requests.PostAsync(http, "v1/events/batch", batch);
        Assert.Equal(200, status);
        var results = body.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["charged", "rejected", "charged", "rejected"], results.Select(r => r.GetProperty("status").GetString()));
        Assert.Equal("events[1].subject", results[1].GetProperty("error").GetProperty("field").GetString());
        Assert.Equal("events[3].id", results[3].GetProperty("error").GetProperty("field").GetString());
        Assert.Equal(200, (await Requests.SendAsync(http, "GET", "v1/tenants/acme/events/good-2")).Status);
        Assert.True((await server.Store.CheckAsync()).Clean);
    }

    [Theory]
    [MemberData(nameof(TestServer.Engines), MemberType = typeof(TestServer))]
    public async Task Ids_a_url_cannot_reach_are_refused_and_every_accepted_id_is_reachable(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        await Samples.FundedTenantAsync(server, "acme");
        var before = await Snapshot.TakeAsync(server, "acme");
        using var http = server.Raw(server.OperatorKey);
        foreach (var bad in new[] { ".", "..", "a/b", "a b", "-x", "a%2Fb", "a?b", "a#b", "a\\b", new string('a', 129) })
        {
            var id = JsonSerializer.Serialize(bad);
            foreach (var (path, body) in new[]
            {
                ("v1/tenants", $$"""{"id":{{id}}}"""),
                ("v1/events", Requests.Event(id: bad)),
                ("v1/tenants/acme/reservations", $$"""{"id":{{id}},"amount":1,"unit":"credits"}"""),
                ("v1/tenants/acme/topups", $$"""{"id":{{id}},"kind":"grant","unit":"credits","amount":1}"""),
                ("v1/keys", $$"""{"name":"k","tenant":{{id}}}"""),
            })
            {
                var (status, problem) = await Requests.PostAsync(http, path, body);
                Assert.True(status == 400, $"{path} {body}: {status} {problem}");
                Assert.Equal(path == "v1/keys" ? "tenant" : "id", problem.Field());
            }
        }

        Assert.Equal(before, await Snapshot.TakeAsync(server, "acme"));

        // The widest accepted id is read back, settled and released through its URL.
        var wide = "Z9.a_b:c@d-" + new string('x', 117);
        Assert.Equal(201, (await Requests.PostAsync(http, "v1/tenants", $$"""{"id":"{{wide}}"}""")).Status);
        Assert.Equal(200, (await Requests.SendAsync(http, "GET", $"v1/tenants/{wide}")).Status);
        Assert.Equal(201, (await Requests.PostAsync(http, $"v1/tenants/{wide}/topups", """{"id":"t-1","kind":"grant","unit":"credits","amount":100}""")).Status);
        Assert.Equal(200, (await Requests.PostAsync(http, "v1/events", Requests.Event(id: wide, tenant: wide))).Status);
        Assert.Equal(200, (await Requests.SendAsync(http, "GET", $"v1/tenants/{wide}/events/{wide}")).Status);
        Assert.Equal(201, (await Requests.PostAsync(http, $"v1/tenants/{wide}/reservations", $$"""{"id":"{{wide}}","amount":1,"unit":"credits"}""")).Status);
        Assert.Equal(200, (await Requests.SendAsync(http, "GET", $"v1/tenants/{wide}/reservations/{wide}")).Status);
        Assert.Equal(200, (await Requests.PostAsync(http, $"v1/tenants/{wide}/reservations/{wide}/release", "{}")).Status);
    }
}
