namespace Tollgate.Core.Catalogs;

/// <summary>
/// A request-field multiplier: when the event's attribute <see cref="Attribute"/> is present (and equals
/// <see cref="EqualsValue"/>, case-insensitively, when one is given), every line is multiplied by <see cref="Factor"/>.
/// </summary>
public sealed record AttributeMultiplier(string Attribute, string? EqualsValue, decimal Factor)
{
    public bool Matches(IReadOnlyDictionary<string, string> attributes) =>
        attributes.TryGetValue(Attribute, out var value)
        && (EqualsValue is null || string.Equals(value, EqualsValue, StringComparison.OrdinalIgnoreCase));
}
