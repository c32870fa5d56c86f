using System.Globalization;
using Tollgate.Client;
using Tollgate.Client.Contracts;

namespace Tollgate.Cli.Load;

/// <summary>
/// <c>tollgate bench --mode api-compare</c>: Tollgate's one-event-per-request and reserve-then-settle paths against a
/// bare ASP.NET Core endpoint taking the same requests (<see cref="BareEndpoint"/>), in the same run. It starts a
/// <c>tollgate serve</c> child (SQLite, fsync on commit) and the bare endpoint in this process; each client alternates
/// a request to Tollgate and one to the bare endpoint, so both see the same machine load. Every Tollgate event is
/// recorded durably (group commit) and every reservation held and settled on the ledger.
/// </summary>
internal static class ApiCompare
{
    public static async Task<bool> RunAsync(int requests, IReadOnlyList<int> concurrencies, TextWriter output, CancellationToken cancel)
    {
        return await Interleaved.InTempFolderAsync("tollgate-api-compare-", async folder =>
        {
            await using var bare = await BareEndpoint.StartAsync();
            await using var server = await ServeChild.StartAsync(Path.Combine(folder, "serve"), null, cancel);
            var tollgate = new TollgateClient(new HttpClient { BaseAddress = server.Url }, server.Key);
            var baseline = new TollgateClient(new HttpClient { BaseAddress = bare.Address }, server.Key);
            var tenant = $"apicmp-{Guid.NewGuid():N}"[..16];
            await tollgate.CreateTenantAsync(new TenantRequest(tenant), cancel);
            await tollgate.TopUpAsync(tenant, new TopUpRequest("bench", TopUpKind.Recharge, "credits", 1_000_000_000m), cancel);

            var ok = true;
            var round = 0;
            foreach (var mode in new[] { "single", "reserve-settle" })
            {
                foreach (var c in concurrencies)
                {
                    round++;
                    async Task<string?> OneAsync(TollgateClient client, string id)
                    {
                        if (mode == "single")
                        {
                            return (await client.RecordAsync(BenchEvent.Llm(id, tenant), cancel)).Status == "charged" ? null : "not_charged";
                        }

                        await client.ReserveAsync(tenant, new ReservationRequest(id, Amount: 1m, Unit: "credits"), cancel);
                        return (await client.SettleAsync(tenant, id, BenchEvent.Llm(id, tenant), cancel)).Status == "charged" ? null : "not_charged";
                    }

                    // Warm-up: JIT, connection pools, SQLite's page cache.
                    await RunPairAsync(tollgate, baseline, OneAsync, $"w{round}", Math.Max(2, requests / 10), c, cancel);
                    var (tg, floor) = await RunPairAsync(tollgate, baseline, OneAsync, $"r{round}", requests, c, cancel);
                    ok &= tg.Errors.Count == 0 && floor.Errors.Count == 0;
                    output.WriteLine(Line(mode, c, "tollgate", tg));
                    output.WriteLine(Line(mode, c, "bare", floor));
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"api-ratio mode={mode} concurrency={c} rate_ratio={tg.Throughput(c) / floor.Throughput(c):P1} {Interleaved.Added(tg, floor)}"));
                }
            }

            // Every reservation was settled: nothing may stay held.
            var held = (await tollgate.GetBalancesAsync(tenant, cancel)).Accounts.Sum(a => a.Held);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"api-check held={held} errors={(ok ? 0 : 1)}"));
            return ok && held == 0m;
        });
    }

    private static string Line(string mode, int concurrency, string target, LoadStats stats) =>
        $"api-bench mode={mode} concurrency={concurrency} target={target} {Interleaved.Figures(stats, concurrency)}";

    /// <summary>Runs <paramref name="n"/> requests (or pairs) against each target; every client alternates Tollgate and the bare endpoint.</summary>
    private static Task<(LoadStats Tollgate, LoadStats Bare)> RunPairAsync(
        TollgateClient tollgate, TollgateClient bare, Func<TollgateClient, string, Task<string?>> one, string prefix, int n, int concurrency, CancellationToken cancel) =>
        Interleaved.RunAsync(n, concurrency, async (toTollgate, i) =>
        {
            try
            {
                return await one(toTollgate ? tollgate : bare, $"{prefix}-{i}");
            }
            catch (TollgateException ex)
            {
                return ex.Code ?? $"http{(int)ex.Status}";
            }
        }, cancel);
}
