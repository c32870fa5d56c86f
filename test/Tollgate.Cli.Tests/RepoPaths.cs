namespace Tollgate.Cli.Tests;

/// <summary>Where the repository and its committed data are, found from the test's output folder.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = Find();

    /// <summary>The Azure LLM inference trace committed in the repository (traces/, CC-BY 4.0).</summary>
    public static string AzureTrace => Path.Combine(Root, "traces", "azure-llm-inference-2023");

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Tollgate.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root (Tollgate.slnx) not found above " + AppContext.BaseDirectory);
    }
}
