using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Tollgate.Cli.Load;

/// <summary>
/// A <c>tollgate serve</c> child process of this very program (same build) on a free loopback port, a fresh data
/// folder and a known operator key. Disposing kills it.
/// </summary>
internal sealed class ServeChild : IAsyncDisposable
{
    private readonly Process process;

    private ServeChild(Process process, Uri url, string key)
    {
        this.process = process;
        Url = url;
        Key = key;
    }

    public Uri Url { get; }

    public string Key { get; }

    public static async Task<ServeChild> StartAsync(string dataFolder, string? postgres, CancellationToken cancel, string? gatewayRoutes = null)
    {
        var key = "tg_bench_" + Guid.NewGuid().ToString("N");
        var url = new Uri($"http://127.0.0.1:{FreePort().ToString(CultureInfo.InvariantCulture)}/");
        var host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ServeChild).Assembly.Location);
        }

        foreach (var arg in (string[])["serve", "--bootstrap-key", key, "--urls", url.ToString().TrimEnd('/'), "--data", dataFolder])
        {
            start.ArgumentList.Add(arg);
        }

        if (postgres is not null)
        {
            start.ArgumentList.Add("--postgres");
            start.ArgumentList.Add(postgres);
        }

        if (gatewayRoutes is not null)
        {
            start.ArgumentList.Add("--gateway-routes");
            start.ArgumentList.Add(gatewayRoutes);
        }

        start.Environment.Remove("TOLLGATE_POSTGRES");
        var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync(cancel);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("Tollgate is listening", StringComparison.Ordinal))
            {
                _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                return new ServeChild(process, url, key);
            }
        }

        throw new InvalidOperationException($"tollgate serve exited before listening: {await errors}");
    }

    /// <summary>The most resident memory the server has used so far (VmHWM, Linux), in MB; null elsewhere.</summary>
    public double? PeakRssMegabytes()
    {
        var status = $"/proc/{process.Id.ToString(CultureInfo.InvariantCulture)}/status";
        if (!File.Exists(status))
        {
            return null;
        }

        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? null : double.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>CPU seconds (user and system) the server has used so far (Linux, /proc at 100 ticks a second); 0 elsewhere.</summary>
    /// <remarks>Unlike throughput, the CPU spent per event hardly changes when other processes load the machine.</remarks>
    public double CpuSeconds()
    {
        var stat = $"/proc/{process.Id.ToString(CultureInfo.InvariantCulture)}/stat";
        if (!File.Exists(stat))
        {
            return 0;
        }

        // The fields after the command name (which may hold spaces) start at its closing parenthesis; utime and stime are the 14th and 15th.
        var text = File.ReadAllText(stat);
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
