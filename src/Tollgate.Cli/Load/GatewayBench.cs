using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Tollgate.Client;
using Tollgate.Client.Contracts;

namespace Tollgate.Cli.Load;

/// <summary>
/// <c>tollgate bench --mode gateway</c>: what the metering gateway adds to a model call. It starts a fake provider in
/// this process and a <c>tollgate serve</c> child whose gateway route points at it, then sends chat calls (non-streamed
/// and streamed, at 1 and 16 concurrent clients) through the gateway and straight to the provider, interleaved (each
/// client alternates), so both see the same machine load. Every gateway call is reserved and settled on the ledger.
/// </summary>
internal static class GatewayBench
{
    private const string Model = "bench-chat";

    /// <summary>What each call is like: the text chunks of a streamed answer, and the characters of the conversation sent before the question.</summary>
    public sealed record CallShape(int StreamChunks = BenchUpstream.DefaultChunks, int HistoryCharacters = 0);

    public static async Task<bool> RunAsync(int requests, IReadOnlyList<int> concurrencies, TextWriter output, CancellationToken cancel, CallShape? shape = null)
    {
        shape ??= new CallShape();
        var chunks = shape.StreamChunks;
        var history = History(shape.HistoryCharacters);
        return await Interleaved.InTempFolderAsync("tollgate-gateway-bench-", async folder =>
        {
            await using var upstream = await BenchUpstream.StartAsync(chunks);
            var routes = Path.Combine(folder, "routes.yaml");
            await File.WriteAllTextAsync(routes,
                $"routes:\n  - model: {Model}\n    price_item: GPT-4o-mini-128k\n    type: llm_text\n    max_output_tokens: 1000\n    upstreams:\n" +
                $"      - {{ kind: openai, base_url: \"{upstream.Address}\", model: bench }}\n", cancel);
            await using var server = await ServeChild.StartAsync(Path.Combine(folder, "serve"), null, cancel, routes);
            var operatorClient = new TollgateClient(new HttpClient { BaseAddress = server.Url }, server.Key);
            var tenant = $"gwbench-{Guid.NewGuid():N}"[..16];
            await operatorClient.CreateTenantAsync(new TenantRequest(tenant), cancel);
            await operatorClient.TopUpAsync(tenant, new TopUpRequest("bench", TopUpKind.Recharge, "credits", 1_000_000_000m), cancel);
            var key = await GatewayKeyAsync(server, tenant, cancel);

            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) });
            var gateway = new Uri(server.Url, "openai/v1/chat/completions");
            var direct = new Uri(upstream.Address + "/chat/completions");
            var ok = true;

            // A fresh server is slower at first (code still being compiled and tiered up, a new database): without this
            // warm-up of both kinds, whichever phase runs first measured every step of a call slower.
            foreach (var stream in new[] { false, true })
            {
                await RunPairAsync(http, gateway, direct, key, stream, chunks, history, Math.Max(2, requests / 2), concurrencies.Max(), cancel);
            }

            foreach (var stream in new[] { false, true })
            {
                foreach (var c in concurrencies)
                {
                    // Warm-up: JIT, connection pools, SQLite's page cache.
                    await RunPairAsync(http, gateway, direct, key, stream, chunks, history, Math.Max(2, requests / 10), c, cancel);
                    var (through, straight) = await RunPairAsync(http, gateway, direct, key, stream, chunks, history, requests, c, cancel);
                    ok &= through.Errors.Count == 0 && straight.Errors.Count == 0;
                    output.WriteLine(Line(stream, c, "gateway", through));
                    output.WriteLine(Line(stream, c, "direct", straight));
                    output.WriteLine($"gateway-overhead stream={Flag(stream)} concurrency={c} {Interleaved.Added(through, straight)}");
                }
            }

            // Every call was reserved and settled: nothing may stay held.
            var held = (await operatorClient.GetBalancesAsync(tenant, cancel)).Accounts.Sum(a => a.Held);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gateway-check held={held} errors={(ok ? 0 : 1)}"));
            return ok && held == 0m;
        });
    }

    private static string Line(bool stream, int concurrency, string target, LoadStats stats) =>
        $"gateway-bench stream={Flag(stream)} concurrency={concurrency} target={target} {Interleaved.Figures(stats, concurrency)}";

    private static string Flag(bool stream) => stream ? "true" : "false";

    /// <summary>Runs <paramref name="n"/> calls to each target; every client alternates gateway and direct calls.</summary>
    private static Task<(LoadStats Gateway, LoadStats Direct)> RunPairAsync(
        HttpClient http, Uri gateway, Uri direct, string key, bool stream, int chunks, string? history, int n, int concurrency, CancellationToken cancel) =>
        Interleaved.RunAsync(n, concurrency, (viaGateway, _) => CallAsync(http, viaGateway ? gateway : direct, viaGateway ? key : null, stream, chunks, history, cancel), cancel);

    /// <summary>One call; a streamed one must bring every text chunk and [DONE], and no usage chunk (the client did not ask for one).</summary>
    private static async Task<string?> CallAsync(HttpClient http, Uri url, string? key, bool stream, int chunks, string? history, CancellationToken cancel)
    {
        var messages = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Say hello to the benchmark." });
        if (history is not null)
        {
            messages.Insert(0, new JsonObject { ["role"] = "system", ["content"] = history });
        }

        var body = new JsonObject
        {
            ["model"] = key is null ? "bench" : Model,
            ["messages"] = messages,
            ["max_tokens"] = 300,
        };
        if (stream)
        {
            body["stream"] = true;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel);
        var text = await response.Content.ReadAsStringAsync(cancel);
        return !response.IsSuccessStatusCode ? $"http{(int)response.StatusCode}"
            : stream && !text.Contains("[DONE]", StringComparison.Ordinal) ? "unfinished_stream"
            : stream && CountEvents(text) != chunks + 1 ? $"stream_of_{CountEvents(text)}_events"
            : null;
    }

    private static int CountEvents(string stream) => stream.AsSpan().Count("data: ");

    /// <summary>
    /// A conversation sent again with every call, as an agent does: paragraphs of made-up words (a tokenizer has not
    /// seen them as a whole), the same for every call of a run. Null for none.
    /// </summary>
    private static string? History(int characters)
    {
        if (characters == 0)
        {
            return null;
        }

        var random = new Random(13);
        var text = new StringBuilder(characters + 64);
        while (text.Length < characters)
        {
            for (var word = random.Next(20, 80); word > 0; word--)
            {
                text.Append((char)('a' + random.Next(26)));
                for (var letter = random.Next(1, 9); letter > 0; letter--)
                {
                    text.Append((char)('a' + random.Next(26)));
                }

                text.Append(word == 1 ? ".\n" : " ");
            }
        }

        return text.ToString(0, characters);
    }

    private static async Task<string> GatewayKeyAsync(ServeChild server, string tenant, CancellationToken cancel)
    {
        using var admin = new HttpClient { BaseAddress = server.Url };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.Key);
        using var created = await admin.PostAsJsonAsync($"v1/tenants/{tenant}/gateway-keys", new JsonObject { ["name"] = "bench" }, cancel);
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<JsonObject>(cancel))!["key"]!.GetValue<string>();
    }
}
