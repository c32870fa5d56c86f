namespace Tollgate.Core.Catalogs;

/// <summary>
/// One priced thing (a model, a voice, a tool) within one or more billing types.
/// </summary>
/// <remarks>
/// Prices resolve in layers: <see cref="Prices"/>, then the event's key mode in <see cref="KeyModes"/>, then the
/// tenant's plan in <see cref="Plans"/>, then the highest <see cref="Tiers"/> entry whose threshold the event
/// exceeds; each layer replaces the meters it names. A key mode or plan mapped to null is not offered.
/// </remarks>
public sealed record PriceItem(
    IReadOnlySet<string> Types,
    string? Brand,
    string Model,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<string> Patterns,
    IReadOnlyDictionary<string, MeterPrice> Prices,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, MeterPrice>?> KeyModes,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, MeterPrice>?> Plans,
    IReadOnlyList<PriceTier> Tiers,
    IReadOnlyList<AttributeMultiplier> AttributeMultipliers,
    OtherMeters OtherMeters,
    string? Tokenizer)
{
    /// <summary>The brand-qualified name, such as <c>OpenAI/TTS</c>, or the plain name without a brand.</summary>
    public string QualifiedName => Brand is null ? Model : $"{Brand}/{Model}";
}
