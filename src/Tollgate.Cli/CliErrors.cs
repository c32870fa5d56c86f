using System.CommandLine;
using Tollgate.Client;

namespace Tollgate.Cli;

/// <summary>
/// Every command's failure in one place: one line on standard error with the cause ("error: ..."), exit code 1, and
/// never a .NET stack trace (an operator needs the cause, not the frames). Usage errors are one line too: the parser's
/// messages, without the whole help text.
/// </summary>
internal static class CliErrors
{
    public static async Task<int> InvokeAsync(RootCommand root, string[] args)
    {
        try
        {
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                await Console.Error.WriteLineAsync($"error: {string.Join("; ", parse.Errors.Select(e => e.Message))} (see --help)");
                return 1;
            }

            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (OperationCanceledException ex) when (ex.InnerException is not TimeoutException)
        {
            await Console.Error.WriteLineAsync("error: cancelled");
            return 130;
        }
        catch (Exception ex)
        {
            await Console.Error.WriteLineAsync("error: " + Describe(ex));
            return 1;
        }
    }

    /// <summary>The cause on one line: a server's problem with its status, code and field, otherwise the exception's message.</summary>
    public static string Describe(Exception ex)
    {
        // Wrappers say nothing of the cause; the exception they carry does.
        var inner = ex;
        while (inner is AggregateException { InnerExceptions.Count: 1 } or System.Reflection.TargetInvocationException && inner.InnerException is { } next)
        {
            inner = next;
        }

        if (inner is TollgateException api)
        {
            var field = api.Problem?.Field is { } f ? $" ({f})" : string.Empty;
            return $"{(int)api.Status} {api.Code}{field}: {api.Problem?.Detail}";
        }

        if (inner is TaskCanceledException { InnerException: TimeoutException })
        {
            return "the server did not answer in time";
        }

        return inner.Message.ReplaceLineEndings(" ");
    }
}
