namespace Tollgate.Gateway.Upstreams;

/// <summary>
/// Follows one protocol's event stream for billing: the text each event adds, the usage the upstream reports, whether
/// the stream ended properly, and which events the client must not see (the usage chunk it did not ask for).
/// </summary>
public abstract class StreamMeter
{
    /// <summary>Complete counts (input and output) once the upstream has reported them.</summary>
    public IReadOnlyDictionary<string, decimal>? Usage { get; protected set; }

    /// <summary>Input counts known before the end (Anthropic's message_start), for billing a cut stream.</summary>
    public IReadOnlyDictionary<string, decimal>? InputUsage { get; protected set; }

    /// <summary>The stream reached its proper end ([DONE], message_stop).</summary>
    public bool Completed { get; protected set; }

    /// <summary>The upstream reported an error inside the stream.</summary>
    public bool Failed { get; protected set; }

    /// <summary>Reads one event: the output text it carries (empty when none) and whether to relay it to the client.</summary>
    public abstract (string Text, bool Relay) Observe(SseEvent e);
}
