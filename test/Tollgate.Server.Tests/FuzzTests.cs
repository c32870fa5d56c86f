using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Tollgate.Client.Contracts;

namespace Tollgate.Server.Tests;

/// <summary>
/// Ten thousand generated malformed or hostile requests against every endpoint: broken JSON, wrong roots, unknown
/// fields, wrong types, negative and absurd amounts, bad keys, hostile path segments, wrong media types. Each one is
/// invalid by construction, so the server must answer every one with a 4xx problem, and the store must be unchanged.
/// </summary>
public sealed partial class FuzzTests
{
    private const int Requests = 10_000;

    private const string Event = """{"id":"f-1","tenant":"acme","time":"2026-01-01T08:00:00+08:00","type":"llm_text","model":"GPT-4.1-1M","usage":{"input_tokens":1000,"output_tokens":10}}""";

    private static readonly (string Method, string Path, string? Body)[] Endpoints =
    [
        ("POST", "v1/events", Event),
        ("POST", "v1/events/quote", Event),
        ("POST", "v1/events/batch", $$"""{"events":[{{Event}},{{Event.Replace("f-1", "f-2", StringComparison.Ordinal)}}]}"""),
        ("POST", "v1/tenants/{t}/reservations", """{"id":"r-1","amount":5,"unit":"credits","timeout_seconds":60}"""),
        ("POST", "v1/tenants/{t}/reservations/held-1/settle", $$"""{"event":{{Event}}}"""),
        ("POST", "v1/tenants", """{"id":"t-new","time_zone":"UTC","plan":"free","user_discount":1,"strict":false}"""),
        ("PATCH", "v1/tenants/{t}", """{"time_zone":"UTC","plan":"free","user_discount":0.5,"strict":true,"message_billing":true}"""),
        ("POST", "v1/tenants/{t}/users", """{"id":"u-1","name":"User"}"""),
        ("POST", "v1/tenants/{t}/topups", """{"id":"tp-1","kind":"recharge","unit":"credits","amount":5,"bonus":1,"paid":1}"""),
        ("POST", "v1/tenants/{t}/free-quotas", """{"unit":"calls","limit":5,"period":"day"}"""),
        ("POST", "v1/tenants/{t}/adjustments", """{"account_id":1,"amount":5,"reason":"fuzz"}"""),
        ("POST", "v1/keys", """{"name":"k","tenant":"acme","can_record":true}"""),
        ("GET", "v1/tenants/{t}/balances", null),
        ("GET", "v1/tenants/{t}/transfers", null),
        ("GET", "v1/tenants/{t}/events/evt-1", null),
        ("GET", "v1/tenants/{t}/reservations/held-1", null),
        ("POST", "v1/tenants/{t}/reservations/held-1/release", null),
        ("DELETE", "v1/keys/{t}", null),
    ];

    [Fact]
    public async Task Ten_thousand_hostile_requests_get_4xx_problems_and_change_nothing()
    {
        await using var server = await TestServer.StartAsync();
        await Samples.FundedTenantAsync(server, "acme");
        await server.Operator.RecordAsync(Samples.Llm("evt-1", "acme"));
        await server.Operator.ReserveAsync("acme", new ReservationRequest("held-1", Amount: 3m, Unit: "credits", TimeoutSeconds: 86_400));
        var tenantKey = (await server.Operator.CreateKeyAsync(new KeyRequest("acme", "acme", CanRecord: true))).Secret;
        var before = await Snapshot.TakeAsync(server, "acme");

        var seed = Environment.TickCount;
        var random = new Random(seed);
        using var operatorHttp = server.Raw(server.OperatorKey);
        using var tenantHttp = server.Raw(tenantKey);
        using var anonymous = server.Raw();
        var statuses = new Dictionary<int, int>();
        for (var i = 0; i < Requests; i++)
        {
            var (method, path, body, contentType, client) = Generate(random, operatorHttp, tenantHttp, anonymous);
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }

            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (status == 200 && path.EndsWith("/batch", StringComparison.Ordinal))
            {
                // A batch answers per item: every item of a broken batch is rejected, none recorded.
                var batch = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<BatchResult>(response.Content, Client.TollgateJson.Lenient);
                Assert.True(batch!.Charged == 0 && batch.Duplicates == 0 && batch.Rejected == batch.Results.Count, $"seed {seed}, request {i}: a broken batch recorded something");
                continue;
            }

            Assert.True(status is >= 400 and < 500, $"seed {seed}, request {i}: {method} {path} {(body is null ? "" : Encoding.UTF8.GetString(body))} -> {status} {await response.Content.ReadAsStringAsync()}");
        }

        Assert.Equal(before, await Snapshot.TakeAsync(server, "acme"));
        Assert.True(statuses.Count >= 5, $"too few kinds of answers: {string.Join(", ", statuses)}");
    }

    private static (string Method, string Path, byte[]? Body, string ContentType, HttpClient Client) Generate(Random random, HttpClient operatorHttp, HttpClient tenantHttp, HttpClient anonymous)
    {
        var (method, template, body) = Endpoints[random.Next(Endpoints.Length)];
        var client = random.Next(4) == 0 ? tenantHttp : operatorHttp;
        var tenant = "acme";
        var contentType = "application/json";
        byte[]? bytes = body is null ? null : Encoding.UTF8.GetBytes(body);

        // Requests without a body, or a tenant key where it may act, are made invalid through the key or the path.
        var mode = body is null || template.StartsWith("DELETE", StringComparison.Ordinal) ? random.Next(2) : random.Next(7);
        if (template.StartsWith("v1/keys/", StringComparison.Ordinal))
        {
            mode = 1;
        }

        switch (mode)
        {
            case 0:
                client = anonymous;
                if (random.Next(2) == 0)
                {
                    anonymous.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "tg_" + Garbage(random, random.Next(1, 80)));
                }
                else
                {
                    anonymous.DefaultRequestHeaders.Authorization = null;
                }

                break;
            case 1:
                tenant = HostileSegment(random);
                client = operatorHttp;
                if (!template.Contains("{t}", StringComparison.Ordinal))
                {
                    client = anonymous;
                    anonymous.DefaultRequestHeaders.Authorization = null;
                }

                break;
            case 2:
                bytes = Malformed(random, body!);
                break;
            case 3:
                bytes = Encoding.UTF8.GetBytes(random.Next(6) switch { 0 => "[]", 1 => "\"text\"", 2 => "42", 3 => "null", 4 => "true", _ => "[" + body + "]" });
                break;
            case 4:
                bytes = Encoding.UTF8.GetBytes(Mutate(random, body!, unknownField: true));
                break;
            case 5:
                bytes = Encoding.UTF8.GetBytes(Mutate(random, body!, unknownField: false));
                break;
            default:
                contentType = random.Next(3) switch { 0 => "text/plain", 1 => "application/x-www-form-urlencoded", _ => "application/xml" };
                break;
        }

        return (method, template.Replace("{t}", tenant, StringComparison.Ordinal), bytes, contentType, client);
    }

    /// <summary>Broken JSON: cut short, garbage, invalid UTF-8, or nested too deep.</summary>
    private static byte[] Malformed(Random random, string body) => random.Next(4) switch
    {
        0 => Encoding.UTF8.GetBytes(body[..random.Next(0, body.Length - 1)]),
        1 => Encoding.UTF8.GetBytes("{" + Garbage(random, random.Next(1, 200))),
        2 => [.. Encoding.UTF8.GetBytes(body[..(body.Length / 2)]), 0xC3, 0x28, 0xFF, .. Encoding.UTF8.GetBytes(body[(body.Length / 2)..])],
        _ => Encoding.UTF8.GetBytes(new string('[', 200) + new string(']', 200)),
    };

    /// <summary>The body with an unknown field added, or one field given a value of the wrong type or an absurd one.</summary>
    private static string Mutate(Random random, string body, bool unknownField)
    {
        var root = JsonNode.Parse(body)!.AsObject();
        var target = root;
        if (root["events"] is JsonArray events)
        {
            // A batch: every item must be broken, or the valid ones would be recorded.
            foreach (var item in events)
            {
                BreakObject(random, item!.AsObject(), unknownField);
            }

            return root.ToJsonString();
        }

        if (root["event"] is JsonObject inner && random.Next(2) == 0)
        {
            target = inner;
        }

        BreakObject(random, target, unknownField);
        return root.ToJsonString();
    }

    private static void BreakObject(Random random, JsonObject target, bool unknownField)
    {
        if (unknownField)
        {
            target["zz_" + Garbage(random, 6).Replace("\"", "", StringComparison.Ordinal)] = random.Next(2) == 0 ? 1 : "x";
            return;
        }

        var names = target.Select(p => p.Key).ToList();
        var name = names[random.Next(names.Count)];
        target[name] = WrongValue(random, target[name]);
    }

    /// <summary>A value no field of its kind accepts: a different JSON kind, or for numbers a negative, absurd or over-precise one.</summary>
    private static JsonNode? WrongValue(Random random, JsonNode? current)
    {
        var kind = current?.GetValueKind();
        if (kind == System.Text.Json.JsonValueKind.Number)
        {
            return random.Next(6) switch
            {
                0 => JsonValue.Create(-random.Next(1_000_000_000, int.MaxValue)),
                1 => JsonNode.Parse("1e400"),
                2 => JsonValue.Create(10_000_000_000_000_000m),
                3 => JsonValue.Create("not a number " + random.Next()),
                4 => new JsonArray(1, 2),
                _ => JsonValue.Create(true),
            };
        }

        if (kind == System.Text.Json.JsonValueKind.Object)
        {
            return random.Next(2) == 0 ? JsonValue.Create("an object was expected") : new JsonArray();
        }

        return random.Next(4) switch
        {
            0 => JsonValue.Create(random.Next()),
            1 => new JsonArray("a"),
            2 => new JsonObject { ["x"] = 1 },
            _ => kind == System.Text.Json.JsonValueKind.True || kind == System.Text.Json.JsonValueKind.False ? JsonValue.Create("yes") : JsonValue.Create(false),
        };
    }

    /// <summary>A path segment that names no tenant: traversal, encoded nulls, very long, odd Unicode.</summary>
    private static string HostileSegment(Random random) => random.Next(7) switch
    {
        0 => "..%2F..%2Fetc%2Fpasswd",
        1 => "acme%00",
        2 => new string('a', random.Next(201, 3000)),
        3 => Uri.EscapeDataString("ácmé-" + (char)random.Next(0x4E00, 0x9FFF)),
        4 => Uri.EscapeDataString("' OR 1=1 --"),
        5 => "ACME",
        _ => Uri.EscapeDataString(Garbage(random, random.Next(1, 30))),
    };

    private static string Garbage(Random random, int length)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz{}[]\":,0123456789 -._~!$&'()*+;=";
        return string.Create(length, random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[r.Next(alphabet.Length)];
            }
        });
    }
}
