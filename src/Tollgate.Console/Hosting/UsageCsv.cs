using Microsoft.AspNetCore.Http;

namespace Tollgate.WebConsole.Hosting;

public static class UsageCsv
{
    public static Task<IResult> GetAsync(string tenant) => Task.FromResult(Results.NotFound());
}
