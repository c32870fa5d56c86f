using Microsoft.Playwright;

namespace Tollgate.Console.Tests;

/// <summary>Writes a page's screenshot to docs/screenshots/&lt;name&gt;.png in the repository (committed, shown by the README).</summary>
internal static class Screenshots
{
    public static async Task TakeAsync(IPage page, string name)
    {
        var folder = Path.Combine(RepoRoot(), "docs", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Tollgate.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (Tollgate.slnx) is not above " + AppContext.BaseDirectory);
    }
}
