using Microsoft.Playwright;

namespace Tollgate.Console.Tests;

/// <summary>
/// One server and one headless Chromium (Debian's, at /usr/bin/chromium: browser downloads are impossible here) shared
/// by the console tests; each test opens its own browser context, so cookies never leak between tests.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    public static readonly string ChromiumPath = Environment.GetEnvironmentVariable("TOLLGATE_TEST_CHROMIUM") ?? "/usr/bin/chromium";

    private IPlaywright? playwright;

    public ConsoleServer Server { get; private set; } = default!;

    public IBrowser Browser { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Server = await ConsoleServer.StartAsync();
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A fresh browser context (no cookies) with one page, 1280 wide for screenshots.</summary>
    public async Task<IPage> NewPageAsync(ConsoleServer? server = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, BaseURL = (server ?? Server).Address.ToString() });
        // Generous: each test may start its own server, whose first pages are compiled while the other test
        // projects run beside it on two cores (a sign-in once took over 15 s there).
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through the sign-in form, as a person would.</summary>
    public async Task<IPage> SignedInAsync(string key, ConsoleServer? server = null)
    {
        var page = await NewPageAsync(server);
        await page.GotoAsync("/signin");
        await page.FillAsync("#key", key);
        await page.ClickAsync("#sign-in");
        await page.WaitForURLAsync(u => !u.Contains("/signin", StringComparison.Ordinal));
        return page;
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright?.Dispose();
        await Server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "console";
}
