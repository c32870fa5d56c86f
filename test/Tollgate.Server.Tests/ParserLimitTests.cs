using System.Net;

namespace Tollgate.Server.Tests;

/// <summary>No input ends the process: nesting depth bounded in every parser, duplicate keys refused (issue 11, items 1 and 11).</summary>
public sealed class ParserLimitTests
{
    private static readonly string Nested = new string('[', 5_000) + new string(']', 5_000);

    [Theory]
    [InlineData("application/yaml")]
    [InlineData("application/json")]
    public async Task A_price_book_of_5000_nested_brackets_is_400_and_the_server_lives(string contentType)
    {
        await using var server = await TestServer.StartAsync();
        using var http = server.Raw(server.OperatorKey);
        foreach (var path in new[] { "v1/price-books", "v1/price-books/gptbots/versions", "v1/price-books/gptbots/dry-run" })
        {
            var (status, body) = await Requests.PostAsync(http, path, Nested, contentType);
            Assert.Equal(400, status);
            Assert.Contains("nested deeper than", body.ToString(), StringComparison.Ordinal);
        }

        var (mapStatus, _) = await Requests.PostAsync(http, "v1/price-books", string.Concat(Enumerable.Repeat("{a: ", 5_000)) + "1" + new string('}', 5_000), contentType);
        Assert.Equal(400, mapStatus);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("healthz")).StatusCode);
        Assert.Equal(3, (await server.Operator.ListPriceBooksAsync()).PriceBooks.Count);
    }

    [Fact]
    public async Task A_large_batch_sent_in_small_chunks_is_read_whole_and_invalid_utf8_anywhere_in_it_is_400()
    {
        // The body is read into a pooled buffer that starts at 4 KB and doubles: 1,500 events (about 400 KB) without
        // a Content-Length, written a few bytes at a time so that multi-byte characters fall across the writes.
        await using var server = await TestServer.StartAsync();
        await Samples.FundedTenantAsync(server, "acme", credits: 100_000m);
        using var http = server.Raw(server.OperatorKey);
        var events = Enumerable.Range(0, 1_500).Select(i => Requests.Event(id: $"chunked-{i}", subject: $"用户-é-{i}"));
        var body = System.Text.Encoding.UTF8.GetBytes("{\"events\": [" + string.Join(",", events) + "]}");

        using (var response = await http.PostAsync("v1/events/batch", new TrickleContent(body, 7)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var results = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("results");
            Assert.Equal(1_500, results.GetArrayLength());
            Assert.All(results.EnumerateArray(), r => Assert.Equal("charged", r.GetProperty("status").GetString()));
        }

        var last = await server.Operator.GetEventAsync("acme", "chunked-1499");
        Assert.Equal("用户-é-1499", last.Event!.Value.GetProperty("subject").GetString());

        var broken = body.ToArray();
        broken[^100] = 0xC3; // a lead byte with no continuation, far past the first buffer
        broken[^99] = (byte)'x';
        using (var response = await http.PostAsync("v1/events/batch", new TrickleContent(broken, 4093)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("not valid UTF-8", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    /// <summary>A body sent chunked, <c>piece</c> bytes per write, flushed after each.</summary>
    private sealed class TrickleContent(byte[] body, int piece) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            for (var at = 0; at < body.Length; at += piece)
            {
                await stream.WriteAsync(body.AsMemory(at, Math.Min(piece, body.Length - at)));
                await stream.FlushAsync();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    [Fact]
    public async Task A_price_book_with_aliases_is_400()
    {
        await using var server = await TestServer.StartAsync();
        using var http = server.Raw(server.OperatorKey);
        var bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n";
        var (status, body) = await Requests.PostAsync(http, "v1/price-books", bomb, "application/yaml");
        Assert.Equal(400, status);
        Assert.Contains("aliases", body.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v1/events")]
    [InlineData("v1/events/batch")]
    [InlineData("v1/events/quote")]
    [InlineData("v1/tenants")]
    [InlineData("v1/keys")]
    [InlineData("v1/tenants/acme/reservations")]
    public async Task A_json_body_of_5000_nested_brackets_is_400_naming_the_depth(string path)
    {
        await using var server = await TestServer.StartAsync();
        await Samples.FundedTenantAsync(server, "acme");
        using var http = server.Raw(server.OperatorKey);
        var (status, body) = await Requests.PostAsync(http, path, Nested);
        Assert.Equal(400, status);
        Assert.Equal("malformed_json", body.Code());
        Assert.Contains("depth", body.GetProperty("detail").GetString()!, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("healthz")).StatusCode);
    }

    [Theory]
    [InlineData("v1/tenants", """{"id":"a","id":"b"}""", "id")]
    [InlineData("v1/events", """{"id":"e-1","tenant":"acme","tenant":"other","time":"2026-01-01T08:00:00+08:00","type":"llm_text","model":"GPT-4.1-1M","usage":{"input_tokens":1}}""", "tenant")]
    [InlineData("v1/events", """{"id":"e-1","tenant":"acme","time":"2026-01-01T08:00:00+08:00","type":"llm_text","model":"GPT-4.1-1M","usage":{"input_tokens":1,"input_tokens":1000000}}""", "usage.input_tokens")]
    [InlineData("v1/tenants/acme/topups", """{"id":"t-1","kind":"recharge","unit":"credits","amount":5,"amount":5000}""", "amount")]
    public async Task A_duplicate_json_key_is_400_naming_the_key(string path, string body, string field)
    {
        await using var server = await TestServer.StartAsync();
        await Samples.FundedTenantAsync(server, "acme");
        await Samples.FundedTenantAsync(server, "other");
        var before = await Snapshot.TakeAsync(server, "acme", "other");
        using var http = server.Raw(server.OperatorKey);
        var (status, problem) = await Requests.PostAsync(http, path, body);
        Assert.Equal(400, status);
        Assert.Equal("malformed_json", problem.Code());
        Assert.Equal(field, problem.Field());
        Assert.Equal(before, await Snapshot.TakeAsync(server, "acme", "other"));
    }
}
