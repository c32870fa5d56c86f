namespace Tollgate.Core.Tests;

/// <summary>Finds the repository root and the shared seed documents beside it.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Seed(string file)
    {
        var path = Path.Combine(Root, "..", "shared", "seeds", file);
        Assert.True(File.Exists(path), $"seed document {path} not found: the tests read the seeds from ../shared/seeds beside the repository");
        return path;
    }

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
