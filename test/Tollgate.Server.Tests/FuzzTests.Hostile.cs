using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tollgate.Server.Tests;

/// <summary>
/// The hostile inputs of issue 11, generated on both engines: odd path spellings, deep nesting, NUL and control
/// characters, extreme numbers and times, ids with separators. Each request is invalid by construction: no 5xx, the
/// process alive, the store unchanged, the ledger check clean.
/// </summary>
public sealed partial class FuzzTests
{
    private const int HostileRequests = 1_500;

    private static readonly string[] Times = ["9999-12-31T23:59:59Z", "9999-12-31T23:59:59.999999999-18:00", "0001-01-01T00:00:00+18:00", "9000-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "-0001-01-01T00:00:00Z"];

    private static readonly string[] Separators = [".", "..", "a/b", "a\\b", "a b", "a?b", "a#b", "a%2Fb", "/", "-a", "_a", "a\tb", new string('a', 129)];

    private static readonly string[] Controls = ["\u0000", "\u0001", "\u0007", "\u0008", "\u001b", "\u007f", "\u0085"];

    private static readonly string[] Numbers = ["1e400", "-1", "1e30", "\"NaN\"", "\"Infinity\"", "79228162514264337593543950336", "-79228162514264337593543950336", "123456789012345678901234567890.5"];

    [Theory]
    [MemberData(nameof(TestServer.Engines), MemberType = typeof(TestServer))]
    public async Task Hostile_inputs_on_every_engine_get_4xx_and_change_nothing(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        await Samples.FundedTenantAsync(server, "acme");
        await server.Operator.RecordAsync(Samples.Llm("evt-1", "acme"));
        await server.Operator.ReserveAsync("acme", new Client.Contracts.ReservationRequest("held-1", Amount: 3m, Unit: "credits", TimeoutSeconds: 86_400));
        var before = await Snapshot.TakeAsync(server, "acme");

        var seed = Environment.TickCount;
        var random = new Random(seed);
        using var operatorHttp = server.Raw(server.OperatorKey);
        using var anonymous = server.Raw();
        var kinds = new Dictionary<string, int>();
        for (var i = 0; i < HostileRequests; i++)
        {
            var (kind, method, path, body, contentType, anonymousCall) = Hostile(random);
            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }

            using var response = await (anonymousCall ? anonymous : operatorHttp).SendAsync(request);
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync();
            var what = $"seed {seed}, request {i} ({kind}): {method} {path} {(body is { Length: > 300 } ? body[..300] + "..." : body)} -> {status} {text}";
            if (status == 200 && path.EndsWith("/batch", StringComparison.Ordinal))
            {
                var results = JsonDocument.Parse(text).RootElement.GetProperty("results").EnumerateArray();
                Assert.True(results.All(r => r.GetProperty("status").GetString() == "rejected"), what);
                continue;
            }

            Assert.True(status is >= 400 and < 500, what);
        }

        Assert.Equal("ok", await operatorHttp.GetStringAsync("healthz"));
        Assert.Equal(before, await Snapshot.TakeAsync(server, "acme"));
        Assert.True(kinds.Count == 6, string.Join(", ", kinds));
    }

    private static (string Kind, string Method, string Path, string? Body, string ContentType, bool Anonymous) Hostile(Random random)
    {
        var (method, template, body) = Endpoints[random.Next(Endpoints.Length)];
        var path = template.Replace("{t}", "acme", StringComparison.Ordinal);
        switch (random.Next(6))
        {
            case 0:
                // A spelling routing may match case-insensitively: without a key it must still be refused.
                var spelt = random.Next(5) switch
                {
                    0 => "V1" + path[2..],
                    1 => path.Replace("v1/", "v1//", StringComparison.Ordinal),
                    2 => path.Replace("v1/", "v1%2F", StringComparison.Ordinal),
                    3 => path + "/",
                    _ => path.ToUpperInvariant(),
                };
                return ("spelling", method, spelt, body, "application/json", true);
            case 1 when body is not null:
                var depth = random.Next(33, 20_000);
                var nested = random.Next(2) == 0 ? new string('[', depth) + new string(']', depth) : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
                var book = random.Next(3) == 0;
                return ("depth", "POST", book ? "v1/price-books" : path, nested, book && random.Next(2) == 0 ? "application/yaml" : "application/json", false);
            case 2 when body is not null && body.StartsWith('{'):
                var control = Controls[random.Next(Controls.Length)];
                return ("control", method, path, ReplaceStrings(random, body, s => s.Insert(random.Next(s.Length + 1), control)), "application/json", false);
            case 3 when body is not null && body.StartsWith('{'):
                return ("numbers", method, path, ReplaceNumbers(random, body, Numbers[random.Next(Numbers.Length)]), "application/json", false);
            case 4:
                var time = Uri.EscapeDataString(Times[random.Next(Times.Length)]);
                return random.Next(4) switch
                {
                    0 => ("times", "GET", $"v1/usage?tenant=acme&{(random.Next(2) == 0 ? "from" : "to")}={time}", null, "application/json", false),
                    1 => ("times", "GET", $"v1/tenants/acme/transfers?{(random.Next(2) == 0 ? "from" : "to")}={time}", null, "application/json", false),
                    2 => ("times", "POST", "v1/tenants/acme/bills", $$"""{"cycle":"{{Times[random.Next(Times.Length)][..10].TrimStart('-')}}"}""", "application/json", false),
                    _ => ("times", "POST", "v1/events", Event.Replace("2026-01-01T08:00:00+08:00", Times[random.Next(Times.Length)], StringComparison.Ordinal), "application/json", false),
                };
            default:
                var id = Separators[random.Next(Separators.Length)];
                return random.Next(3) switch
                {
                    0 => ("ids", "POST", "v1/tenants", $$"""{"id":{{JsonSerializer.Serialize(id)}}}""", "application/json", false),
                    // '.' and '..' as path segments are resolved by the client (RFC 3986) before they are sent.
                    1 when id is not ("." or "..") => ("ids", "GET", $"v1/tenants/acme/reservations/{Uri.EscapeDataString(id)}", null, "application/json", false),
                    // An end user's id is text, not an id (it is never a path segment): left out here.
                    _ when path.EndsWith("/users", StringComparison.Ordinal) => ("ids", "POST", path, "{\"id\":\"u\u0000\"}", "application/json", false),
                    _ => ("ids", method, path, body?.StartsWith('{') == true ? ReplaceIds(body, id) : body, "application/json", body is null),
                };
        }
    }

    /// <summary>Every string value of the body (each batch item too) transformed: one bad value per item suffices.</summary>
    private static string ReplaceStrings(Random random, string body, Func<string, string> change)
    {
        var root = JsonNode.Parse(body)!;
        foreach (var target in Targets(root))
        {
            var strings = target.Where(p => p.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String).Select(p => p.Key).ToList();
            var name = strings[random.Next(strings.Count)];
            target[name] = change(target[name]!.GetValue<string>());
        }

        return root.ToJsonString();
    }

    private static string ReplaceNumbers(Random random, string body, string number)
    {
        var root = JsonNode.Parse(body)!;
        var changed = false;
        foreach (var target in Targets(root))
        {
            foreach (var holder in new[] { target, target["usage"] as JsonObject }.OfType<JsonObject>())
            {
                foreach (var name in holder.Where(p => p.Value is JsonValue v && v.GetValueKind() == JsonValueKind.Number).Select(p => p.Key).ToList())
                {
                    holder[name] = JsonNode.Parse("0");
                    changed = true;
                }
            }
        }

        // Every number is replaced (a leftover valid one could make the request valid), then written as the extreme text.
        return changed ? root.ToJsonString().Replace(":0", ":" + number, StringComparison.Ordinal) : ReplaceStrings(random, body, s => s + "\u0000");
    }

    private static string ReplaceIds(string body, string id)
    {
        var root = JsonNode.Parse(body)!;
        foreach (var target in Targets(root).Where(t => t.ContainsKey("id")))
        {
            target["id"] = id;
        }

        return root.ToJsonString().Contains("\"id\"", StringComparison.Ordinal) ? root.ToJsonString() : body.Insert(1, $"\"id\":{JsonSerializer.Serialize(id)},");
    }

    /// <summary>The objects whose fields are changed: the body, its event, or every event of a batch.</summary>
    private static IEnumerable<JsonObject> Targets(JsonNode root) =>
        root["events"] is JsonArray events ? events.OfType<JsonObject>() : root["event"] is JsonObject inner ? [inner] : [root.AsObject()];
}
