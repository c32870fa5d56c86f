using NodaTime;

namespace Tollgate.Storage.Tests;

/// <summary>A clock the test moves by hand.</summary>
internal sealed class TestClock(Instant start) : IClock
{
    private Instant now = start;

    public Instant GetCurrentInstant() => now;

    public void Advance(Duration by) => now += by;

    public void Set(Instant to) => now = to;
}
