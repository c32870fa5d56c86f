namespace Tollgate.Core.Tests;

internal static class Assertions
{
    public static void ShouldBe<T>(this T actual, T expected) => Assert.Equal(expected, actual);
}
