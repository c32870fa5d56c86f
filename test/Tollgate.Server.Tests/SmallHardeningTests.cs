using Tollgate.Client.Contracts;
using Tollgate.Client.Webhooks;

namespace Tollgate.Server.Tests;

/// <summary>The smaller items of issue 11: absurd webhook timestamps, and who may create keys (README and server agree).</summary>
public sealed class SmallHardeningTests
{
    [Theory]
    [InlineData("9223372036854775807")]
    [InlineData("253402300800")]
    [InlineData("99999999999999999999")]
    public void Verify_returns_false_for_an_absurd_timestamp_instead_of_throwing(string timestamp)
    {
        var signature = WebhookSignature.Sign("secret", 1, "{}");
        Assert.False(WebhookSignature.Verify("secret", timestamp, "{}", signature, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void Verify_still_accepts_a_fresh_signature()
    {
        var now = DateTimeOffset.UtcNow;
        var signature = WebhookSignature.Sign("secret", now.ToUnixTimeSeconds(), "{}");
        Assert.True(WebhookSignature.Verify("secret", now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), "{}", signature, now, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task Only_operator_keys_create_keys_as_the_readme_says()
    {
        var readme = File.ReadAllText(Path.Combine(RepoRoot(), "README.md"));
        var line = readme.Split('\n').Single(l => l.StartsWith("| keys |", StringComparison.Ordinal));
        Assert.Contains("operator keys only", line, StringComparison.Ordinal);
        Assert.DoesNotContain("can_record", line, StringComparison.Ordinal);

        await using var server = await TestServer.StartAsync();
        await Samples.FundedTenantAsync(server, "acme");
        var recorder = await server.Operator.CreateKeyAsync(new KeyRequest("recorder", "acme", CanRecord: true));
        using var http = server.Raw(recorder.Secret);
        var (status, problem) = await Requests.PostAsync(http, "v1/keys", """{"name":"minted","tenant":"acme","can_record":true}""");
        Assert.Equal(403, status);
        Assert.Equal("forbidden", problem.Code());
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Tollgate.slnx")) && !File.Exists(Path.Combine(dir.FullName, "Tollgate.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("the repository root was not found");
    }
}
