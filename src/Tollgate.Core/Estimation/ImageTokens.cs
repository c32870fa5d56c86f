namespace Tollgate.Core.Estimation;

/// <summary>The image input formula of the pricing document: tokens = 85 + 170 x tiles, tiles = ceil(w/512) x ceil(h/512).</summary>
public static class ImageTokens
{
    public const int BaseTokens = 85;
    public const int TokensPerTile = 170;
    public const int TileSide = 512;

    public static long Tiles(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        return (long)CeilDiv(width, TileSide) * CeilDiv(height, TileSide);
    }

    public static long For(int width, int height) => BaseTokens + (TokensPerTile * Tiles(width, height));

    private static int CeilDiv(int value, int divisor) => (value + divisor - 1) / divisor;
}
