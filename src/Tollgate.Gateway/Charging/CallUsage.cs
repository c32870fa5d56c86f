namespace Tollgate.Gateway.Charging;

/// <summary>
/// What a call used, as settled: the upstream's counts mapped to meters, and the output text for the meters the
/// upstream did not count (estimated from it with the price item's tokenizer, and marked so on the charge).
/// </summary>
/// <param name="Meters">Counts the upstream reported (may be empty).</param>
/// <param name="OutputText">The output actually streamed, when <paramref name="Meters"/> has no output count; else null.</param>
public sealed record CallUsage(IReadOnlyDictionary<string, decimal> Meters, string? OutputText = null)
{
    public bool IsExact => OutputText is null && Meters.ContainsKey(Core.Events.Meters.InputTokens);

    public static CallUsage Exact(IReadOnlyDictionary<string, decimal> meters) => new(meters);

    /// <summary>Counted from text: the input always from the request, the output from what was streamed.</summary>
    public static CallUsage Counted(string outputText, IReadOnlyDictionary<string, decimal>? known = null) =>
        new(known ?? new Dictionary<string, decimal>(), outputText);
}
