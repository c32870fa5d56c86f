using Tollgate.Core.Catalogs;

namespace Tollgate.Core.Tests.Catalogs;

/// <summary>Hostile YAML is an error with a message, never an exception the server would answer with 500.</summary>
public sealed class PriceBookHostileYamlTests
{
    [Theory]
    [InlineData("id: a\nid: b\n")]
    [InlineData("{\"id\": \"a\", \"id\": \"b\"}")]
    [InlineData("id: !!binary aGVsbG8=\n")]
    [InlineData("id: !custom x\n")]
    [InlineData("!!python/object:os.system [ls]\n")]
    [InlineData("? [a, b]\n: c\n")]
    [InlineData("? {a: b}\n: c\nversions: []\n")]
    [InlineData("id: 99999999999999999999999999999999999999999\n")]
    [InlineData("%YAML 9.9\n---\nid: a\n")]
    [InlineData("id: a\n---\nid: b\n")]
    [InlineData("\t\tid: a")]
    [InlineData("\u0000")]
    [InlineData("")]
    [InlineData("~")]
    public void Hostile_documents_are_errors_not_exceptions(string text)
    {
        var result = PriceBookReader.ReadYaml(text);
        Assert.Null(result.Book);
        Assert.NotEmpty(result.Errors);
    }

    [Fact]
    public void A_key_given_twice_is_an_error_not_last_wins()
    {
        var book = BuiltInCatalogs.Text("gptbots");
        Assert.NotNull(PriceBookReader.ReadYaml(book).Book);
        var twice = PriceBookReader.ReadYaml(book + "\nname: Someone else's book\n");
        Assert.Null(twice.Book);
        Assert.Contains("uplicate", string.Join("\n", twice.Errors), StringComparison.OrdinalIgnoreCase);
    }
}
