namespace Tollgate.Storage.Tests;

/// <summary>Every contract test runs on both engines.</summary>
public sealed class Engines : TheoryData<string>
{
    public Engines()
    {
        Add("sqlite");
        Add("postgres");
    }
}
