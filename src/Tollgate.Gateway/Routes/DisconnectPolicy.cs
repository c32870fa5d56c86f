namespace Tollgate.Gateway.Routes;

/// <summary>What a route does when its client goes away in the middle of a stream (see docs/gateway.md).</summary>
public static class DisconnectPolicy
{
    /// <summary>Keep reading the upstream to its end and bill its exact usage (the provider bills the whole answer too).</summary>
    public const string Finish = "finish";

    /// <summary>Cancel the upstream; bill the input and the output tokens actually streamed, counted, marked estimated.</summary>
    public const string Cut = "cut";
}
