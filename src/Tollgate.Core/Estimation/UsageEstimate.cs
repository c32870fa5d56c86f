using Tollgate.Core.Events;

namespace Tollgate.Core.Estimation;

/// <summary>
/// The quantities to rate: the event's own, plus counts estimated from its content for meters it left out.
/// </summary>
/// <remarks>
/// Estimation only fills meters the event does not give: an explicit count always wins. Image tokens are
/// added to an estimated <c>input_tokens</c>; when the caller gave <c>input_tokens</c>, the images are taken to
/// be part of that total (and an estimate larger than it is rejected as parts exceeding their total).
/// </remarks>
public sealed class UsageEstimate
{
    private UsageEstimate(IReadOnlyDictionary<string, decimal> quantities, IReadOnlySet<string> estimated)
    {
        Quantities = quantities;
        Estimated = estimated;
    }

    public IReadOnlyDictionary<string, decimal> Quantities { get; }

    public IReadOnlySet<string> Estimated { get; }

    public static UsageEstimate For(UsageEvent e, string? itemTokenizer)
    {
        var megapixels = DerivedMegapixels(e);
        var content = e.Content;
        if (content is null && megapixels is null)
        {
            return new UsageEstimate(e.Usage, EmptySet);
        }

        var quantities = new Dictionary<string, decimal>(e.Usage, StringComparer.Ordinal);
        if (megapixels is not null)
        {
            quantities[Meters.Megapixels] = megapixels.Value;
        }

        if (content is null)
        {
            return new UsageEstimate(quantities, EmptySet);
        }

        var estimated = new HashSet<string>(StringComparer.Ordinal);
        var tokenizer = content.Tokenizer ?? itemTokenizer ?? TokenEstimator.O200kBase;

        void Fill(string meter, long count)
        {
            if (!quantities.ContainsKey(meter))
            {
                quantities[meter] = count;
                estimated.Add(meter);
            }
        }

        if (content.InputText is { } input)
        {
            Fill(Meters.InputTokens, TokenEstimator.Count(input, tokenizer, content.Language));
        }

        if (content.OutputText is { } output)
        {
            Fill(Meters.OutputTokens, TokenEstimator.Count(output, tokenizer, content.Language));
        }

        if (content.Images.Count > 0)
        {
            var imageTokens = content.Images.Sum(i => ImageTokens.For(i.Width, i.Height));
            Fill(Meters.ImageInputTokens, imageTokens);
            if (!e.Usage.ContainsKey(Meters.InputTokens))
            {
                quantities[Meters.InputTokens] = (quantities.TryGetValue(Meters.InputTokens, out var text) ? text : 0m) + imageTokens;
                estimated.Add(Meters.InputTokens);
            }
        }

        return new UsageEstimate(quantities, estimated);
    }

    /// <summary>Per-megapixel pricing: width x height / 1,000,000 from the request's width and height, when the event gives no megapixels.</summary>
    private static decimal? DerivedMegapixels(UsageEvent e) =>
        e.Usage.ContainsKey(Meters.Megapixels) ? null : MegapixelsFrom(e.Attributes);

    /// <summary>Width x height / 1,000,000 from width and height attributes of whole pixels (1 to 100,000); null without them.</summary>
    public static decimal? MegapixelsFrom(IReadOnlyDictionary<string, string> attributes) =>
        attributes.TryGetValue("width", out var w) && int.TryParse(w, out var width) && width is > 0 and <= 100_000
        && attributes.TryGetValue("height", out var h) && int.TryParse(h, out var height) && height is > 0 and <= 100_000
            ? (decimal)width * height / 1_000_000m
            : null;

    private static readonly IReadOnlySet<string> EmptySet = new HashSet<string>();
}
