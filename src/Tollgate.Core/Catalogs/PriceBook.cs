using NodaTime;

namespace Tollgate.Core.Catalogs;

/// <summary>A named, versioned price list. Versions are ordered by effective time; old versions stay.</summary>
public sealed record PriceBook(string Id, string Name, string? Source, IReadOnlyList<PriceBookVersion> Versions)
{
    /// <summary>The version in force at <paramref name="instant"/>, or null before the first one.</summary>
    public PriceBookVersion? VersionAt(Instant instant)
    {
        PriceBookVersion? found = null;
        foreach (var version in Versions)
        {
            if (version.EffectiveFrom <= instant)
            {
                found = version;
            }
        }

        return found;
    }

    public PriceBookVersion Latest => Versions[^1];
}
