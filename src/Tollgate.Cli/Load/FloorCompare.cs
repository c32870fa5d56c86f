using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Microsoft.Data.Sqlite;
using Npgsql;
using Tollgate.Cli.Commands;
using Tollgate.Client;

namespace Tollgate.Cli.Load;

/// <summary>
/// <c>tollgate bench --mode floor-compare</c> (issue 13): in the same run, N rounds, each engine in turn, Tollgate
/// against the storage floor (<see cref="StorageFloor"/>) for the same number of events. Tollgate is a fresh
/// <c>tollgate serve</c> child of this build per round; the committed Azure trace is replayed in batches of 1,000
/// by 2 clients over 10 tenants twice: on the fresh server, then warm (new ids); each replay must say
/// <c>check: ok</c>. Rounds alternate whether Tollgate or the floor goes first. Prints medians, ranges and the
/// ratio to the floor per engine, the server's peak RSS and bytes on disk per event.
/// </summary>
internal static class FloorCompare
{
    public sealed record Settings(string Trace, int? Limit, int Rounds, IReadOnlyList<string> Engines, string? Postgres);

    private sealed record Round(double Fresh, double Warm, double Floor, double? Copy, double? PeakRss, double BytesPerEvent, double FloorBytesPerEvent, double FreshCpu, double WarmCpu);

    public static async Task<bool> RunAsync(Settings s, CancellationToken cancel)
    {
        if (typeof(FloorCompare).Assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled == true)
        {
            Console.WriteLine("warning: this is a Debug build; measure with a Release build (dotnet run -c Release)");
        }

        var calls = AzureTrace.Read(s.Trace);
        var ok = true;
        var results = s.Engines.ToDictionary(e => e, _ => new List<Round>(), StringComparer.Ordinal);
        for (var round = 1; round <= s.Rounds; round++)
        {
            foreach (var engine in s.Engines)
            {
                var (passed, r) = await RoundAsync(engine, round, calls, s, cancel);
                ok &= passed;
                results[engine].Add(r);
                Console.WriteLine(Invariant($"round {round} {engine}: tollgate fresh {r.Fresh:F0} warm {r.Warm:F0} events/s, floor {r.Floor:F0}{(r.Copy is { } c ? Invariant($" (copy {c:F0})") : "")} events/s, peak RSS {r.PeakRss:F0} MB, {r.BytesPerEvent:F0} B/event (floor {r.FloorBytesPerEvent:F0}), server CPU fresh {r.FreshCpu:F0} warm {r.WarmCpu:F0} us/event"));
            }
        }

        foreach (var (engine, rounds) in results)
        {
            var warm = Median(rounds.Select(r => r.Warm));
            var floor = Median(rounds.Select(r => r.Floor));
            Console.WriteLine(Invariant(
                $"{engine}: tollgate warm {Range(rounds.Select(r => r.Warm))}, fresh {Range(rounds.Select(r => r.Fresh))}, floor {Range(rounds.Select(r => r.Floor))}") +
                (rounds[0].Copy is null ? "" : Invariant($", floor copy {Range(rounds.Select(r => r.Copy!.Value))}")) +
                Invariant($" events/s; ratio warm/floor {warm / floor:P1}, fresh/floor {Median(rounds.Select(r => r.Fresh)) / floor:P1}; ") +
                Invariant($"peak RSS {rounds.Max(r => r.PeakRss ?? 0):F0} MB; {Median(rounds.Select(r => r.BytesPerEvent)):F0} bytes/event (floor {Median(rounds.Select(r => r.FloorBytesPerEvent)):F0}); server CPU warm {Range(rounds.Select(r => r.WarmCpu))}, fresh {Range(rounds.Select(r => r.FreshCpu))} us/event"));
        }

        Console.WriteLine($"load average: {LoadAverage()}");
        return ok;
    }

    private static async Task<(bool Ok, Round Round)> RoundAsync(string engine, int round, IReadOnlyList<TraceCall> calls, Settings s, CancellationToken cancel)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"tollgate-floor-{Guid.NewGuid():N}");
        var postgres = engine == "postgres" ? await NewSchemaAsync(s.Postgres!) : null;
        try
        {
            double floor = 0, floorBytes = 0;
            double? copy = null;
            var events = s.Limit is { } n ? Math.Min(n, calls.Count) : calls.Count;
            async Task FloorAsync()
            {
                if (postgres is null)
                {
                    floor = events / StorageFloor.Sqlite(Path.Combine(folder, "floor"), events);
                    floorBytes = (double)SqliteBytes(Path.Combine(folder, "floor", "floor.db")) / events;
                }
                else
                {
                    floor = events / (await StorageFloor.PostgresAsync(s.Postgres!, events, copy: false)).Seconds;
                    var copied = await StorageFloor.PostgresAsync(s.Postgres!, events, copy: true);
                    copy = events / copied.Seconds;
                    floorBytes = (double)copied.Bytes / events;
                }
            }

            // Alternate which goes first, so neither always gets the quieter half of a round.
            if (round % 2 == 0)
            {
                await FloorAsync();
            }

            bool ok;
            double fresh, warm, bytes, freshCpu, warmCpu;
            double? rss;
            await using (var server = await ServeChild.StartAsync(Path.Combine(folder, "serve"), postgres, cancel))
            {
                var client = new TollgateClient(server.Url, server.Key);
                var cpu = server.CpuSeconds();
                var first = await ReplayAsync(client, calls, s.Limit, $"floor{round}-fresh", cancel);
                var between = server.CpuSeconds();
                var second = await ReplayAsync(client, calls, s.Limit, $"floor{round}-warm", cancel);
                (freshCpu, warmCpu) = ((between - cpu) * 1e6 / first.Events, (server.CpuSeconds() - between) * 1e6 / second.Events);
                ok = first.Ok && second.Ok;
                (fresh, warm, rss) = (first.Events / first.Seconds, second.Events / second.Seconds, server.PeakRssMegabytes());
                if (postgres is not null)
                {
                    bytes = (double)await PostgresBytesAsync(postgres) / (first.Events + second.Events);
                }
                else
                {
                    bytes = first.Events + second.Events;
                }
            }

            if (postgres is null)
            {
                bytes = SqliteBytes(Path.Combine(folder, "serve", "tollgate.db")) / bytes;
            }

            if (round % 2 == 1)
            {
                await FloorAsync();
            }

            return (ok, new Round(fresh, warm, floor, copy, rss, bytes, floorBytes, freshCpu, warmCpu));
        }
        finally
        {
            if (postgres is not null)
            {
                await DropSchemaAsync(postgres);
            }

            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static Task<ReplayCommand.Outcome> ReplayAsync(TollgateClient client, IReadOnlyList<TraceCall> calls, int? limit, string run, CancellationToken cancel) =>
        ReplayCommand.RunAsync(client, calls, new ReplayCommand.Options(ReplayCommand.Mode.Batch, 1000, 2, 1, 10, run, 1, limit, null, 0, false, true), cancel);

    /// <summary>The file's size after its write-ahead log is folded in.</summary>
    private static long SqliteBytes(string path)
    {
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            checkpoint.ExecuteNonQuery();
        }

        return new FileInfo(path).Length;
    }

    private static async Task<string> NewSchemaAsync(string connection)
    {
        var schema = $"floorcmp_{Guid.NewGuid():N}";
        await using var admin = new NpgsqlConnection(connection);
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE SCHEMA {schema}", admin);
        await create.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(connection) { SearchPath = schema }.ToString();
    }

    private static async Task<long> PostgresBytesAsync(string connection)
    {
        await using var c = new NpgsqlConnection(connection);
        await c.OpenAsync();
        return await StorageFloor.SchemaBytesAsync(c, new NpgsqlConnectionStringBuilder(connection).SearchPath!);
    }

    private static async Task DropSchemaAsync(string connection)
    {
        var schema = new NpgsqlConnectionStringBuilder(connection).SearchPath!;
        await using var c = new NpgsqlConnection(connection);
        await c.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA {schema} CASCADE", c);
        await drop.ExecuteNonQueryAsync();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Range(IEnumerable<double> values)
    {
        var list = values.ToList();
        return Invariant($"{Median(list):F0} [{list.Min():F0}-{list.Max():F0}]");
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
