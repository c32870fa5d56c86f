namespace Tollgate.Core.Events;

/// <summary>Pixel size of an input image.</summary>
public readonly record struct ImageSize(int Width, int Height);
