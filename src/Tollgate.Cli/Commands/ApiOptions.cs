using System.CommandLine;
using Spectre.Console;
using Tollgate.Client;

namespace Tollgate.Cli.Commands;

/// <summary>
/// How the operator commands reach a running server: <c>--server</c> (or TOLLGATE_URL, default http://127.0.0.1:5080)
/// and <c>--key</c> (or TOLLGATE_KEY), an operator key.
/// </summary>
internal sealed class ApiOptions
{
    public Option<string?> Server { get; } = new("--server") { Description = "Tollgate server (default http://127.0.0.1:5080, or TOLLGATE_URL)" };

    public Option<string?> Key { get; } = new("--key") { Description = "Operator key tg_... (or TOLLGATE_KEY)" };

    public void AddTo(Command command)
    {
        command.Options.Add(Server);
        command.Options.Add(Key);
    }

    public TollgateClient Client(ParseResult parse)
    {
        var server = parse.GetValue(Server) ?? Environment.GetEnvironmentVariable("TOLLGATE_URL") ?? "http://127.0.0.1:5080";
        var key = parse.GetValue(Key) ?? Environment.GetEnvironmentVariable("TOLLGATE_KEY")
            ?? throw new ArgumentException("give an operator key with --key or TOLLGATE_KEY (tollgate serve prints one on its first start)");
        return new TollgateClient(new Uri(server.TrimEnd('/') + "/"), key);
    }

    /// <summary>Runs an API call; a problem or a connection failure ends the command through <see cref="CliErrors"/> (one line, exit code 1).</summary>
    public static async Task<int> RunAsync(Func<Task> call)
    {
        await call();
        return 0;
    }

    /// <summary>An option naming an enum value in kebab case (reserve-settle, resource-pack, bonus-first); null when left out.</summary>
    public static Option<T?> Choice<T>(string name, string description)
        where T : struct, Enum
    {
        var names = Enum.GetValues<T>().ToDictionary(v => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(v.ToString()), v => v, StringComparer.OrdinalIgnoreCase);
        return new Option<T?>(name)
        {
            Description = $"{description}: {string.Join(", ", names.Keys)}",
            CustomParser = result =>
            {
                var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
                if (names.TryGetValue(token, out var value))
                {
                    return value;
                }

                result.AddError($"{name} must be one of {string.Join(", ", names.Keys)}, not '{token}'");
                return null;
            },
        };
    }

    /// <summary>A table on standard output (plain text when redirected).</summary>
    public static void Print(Table table) => AnsiConsole.Write(table);
}
