namespace Tollgate.Cli.Commands;

/// <summary>How many events a rating run priced and how many it could not.</summary>
internal readonly record struct RateSummary(long Rated, long Failed);
