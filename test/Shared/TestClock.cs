using NodaTime;

namespace Tollgate.Testing;

/// <summary>A clock the test moves by hand; safe to read from the server's background work while a test moves it.</summary>
public sealed class TestClock(Instant start) : IClock
{
    private readonly Lock gate = new();
    private Instant now = start;

    public Instant GetCurrentInstant()
    {
        lock (gate)
        {
            return now;
        }
    }

    public void Advance(Duration by)
    {
        lock (gate)
        {
            now += by;
        }
    }

    public void Set(Instant to)
    {
        lock (gate)
        {
            now = to;
        }
    }
}
