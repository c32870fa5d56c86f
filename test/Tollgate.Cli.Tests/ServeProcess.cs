using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Tollgate.Cli.Tests;

/// <summary>
/// A real <c>tollgate serve</c> process on a free loopback port and a fresh data folder, started either from the
/// built program or by a shell command (the README's run command). Disposing kills it.
/// </summary>
internal sealed partial class ServeProcess : IAsyncDisposable
{
    private readonly string folder;
    private readonly string file;
    private readonly string[] args;
    private readonly string workingDirectory;
    private Process process;

    private ServeProcess(Process process, string folder, string url, string key, string file, string[] args, string workingDirectory)
    {
        this.process = process;
        this.folder = folder;
        this.file = file;
        this.args = args;
        this.workingDirectory = workingDirectory;
        Url = url;
        Key = key;
    }

    /// <summary>The data folder (SQLite: tollgate.db inside).</summary>
    public string Folder => folder;

    public string Url { get; }

    public string Key { get; }

    /// <summary>Starts the built program: <c>dotnet tollgate.dll serve</c>, on SQLite or on a PostgreSQL connection string.</summary>
    public static Task<ServeProcess> StartAsync(string? postgres = null, string? bootstrapKey = null, IReadOnlyList<string>? flags = null) =>
        StartAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "tollgate.dll"), "serve", .. Flag("--postgres", postgres), .. Flag("--bootstrap-key", bootstrapKey), .. flags ?? []], Directory.GetCurrentDirectory());

    private static string[] Flag(string name, string? value) => value is null ? [] : [name, value];

    /// <summary>Starts a shell command (such as the README's run command) in <paramref name="workingDirectory"/>.</summary>
    public static Task<ServeProcess> StartShellAsync(string command, string workingDirectory) =>
        StartAsync("bash", ["-c", "exec " + command], workingDirectory);

    private static async Task<ServeProcess> StartAsync(string file, string[] args, string workingDirectory)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var folder = Path.Combine(Path.GetTempPath(), "tollgate-serve-" + Guid.NewGuid().ToString("N"));
        var (process, key) = await LaunchAsync(file, args, workingDirectory, url, folder);
        var bootstrap = Array.IndexOf(args, "--bootstrap-key") is var at and >= 0 ? args[at + 1] : null;
        return new ServeProcess(process, folder, url, key ?? bootstrap ?? throw new InvalidOperationException("no bootstrap key was printed"), file, args, workingDirectory);
    }

    /// <summary>Kills the server with SIGKILL (no shutdown, no flush) and starts it again on the same port and data.</summary>
    public async Task CrashAndRestartAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
        (process, _) = await LaunchAsync(file, args, workingDirectory, Url, folder);
    }

    private static async Task<(Process Process, string? Key)> LaunchAsync(string file, string[] args, string workingDirectory, string url, string folder)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["TOLLGATE_URLS"] = url;
        start.Environment["TOLLGATE_DATA"] = folder;
        start.Environment.Remove("TOLLGATE_POSTGRES");
        var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        string? key = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            key ??= KeyPattern().Match(line) is { Success: true } m ? m.Value : null;
            if (line.StartsWith("Tollgate is listening", StringComparison.Ordinal))
            {
                _ = process.StandardOutput.ReadToEndAsync();
                return (process, key);
            }
        }

        throw new InvalidOperationException($"tollgate serve exited ({process.ExitCode}) before listening: {await errors}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"tg_[0-9a-z]+_[0-9a-z]+")]
    private static partial Regex KeyPattern();
}
