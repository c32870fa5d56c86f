namespace Tollgate.Core.Tests;

/// <summary>Finds the repository root and the tests' committed fixture files.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>A file of test/Tollgate.Core.Tests/Fixtures (committed with the tests, so a bare clone passes).</summary>
    public static string Fixture(string file) => Path.Combine(Root, "test", "Tollgate.Core.Tests", "Fixtures", file);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Tollgate.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root (Tollgate.slnx) not found above " + AppContext.BaseDirectory);
    }
}
