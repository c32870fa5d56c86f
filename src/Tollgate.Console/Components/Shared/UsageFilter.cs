namespace Tollgate.WebConsole.Components.Shared;

/// <summary>The usage page's filters (null = any): billing type, model, channel, end user.</summary>
public sealed record UsageFilter(string? Type = null, string? Model = null, string? Channel = null, string? Subject = null)
{
    public static UsageFilter Of(string? type, string? model, string? channel, string? subject) => new(Clean(type), Clean(model), Clean(channel), Clean(subject));

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
