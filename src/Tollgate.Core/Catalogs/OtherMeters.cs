namespace Tollgate.Core.Catalogs;

/// <summary>What to do with a meter an item has no price for.</summary>
public enum OtherMeters
{
    /// <summary>Reject the event (<c>unpriced_meter</c>): the default, so nothing is silently free.</summary>
    Reject,

    /// <summary>Ignore it: for per-call price lists where token counts are informational.</summary>
    Ignore,
}
