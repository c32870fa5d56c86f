namespace Tollgate.Core.Funding;

/// <summary>What an account may pay for: empty sets mean "anything".</summary>
public sealed record AccountScope(IReadOnlySet<string> Types, IReadOnlySet<string> Models, IReadOnlySet<string> Channels)
{
    public static AccountScope Any { get; } = new(new HashSet<string>(), new HashSet<string>(), new HashSet<string>());

    public bool Allows(string type, string model, string channel) =>
        (Types.Count == 0 || Types.Contains(type))
        && (Models.Count == 0 || Models.Contains(model, StringComparer.OrdinalIgnoreCase))
        && (Channels.Count == 0 || Channels.Contains(channel));
}
