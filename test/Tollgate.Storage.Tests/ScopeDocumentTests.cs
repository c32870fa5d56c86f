using Tollgate.Core.Funding;
using Tollgate.Storage.Ledger;

namespace Tollgate.Storage.Tests;

/// <summary>An account's stored scope reads back as written, and each text is parsed once for the process.</summary>
public sealed class ScopeDocumentTests
{
    [Fact]
    public void Read_OfAWrittenScope_AllowsWhatItAllowed_AndTheSameTextIsParsedOnce()
    {
        var scope = new AccountScope(new HashSet<string> { "llm_text" }, new HashSet<string> { "GPT-4o" }, new HashSet<string>());
        var text = ScopeDocument.Write(scope);

        var read = ScopeDocument.Read(text);

        Assert.True(read.Allows("llm_text", "gpt-4o", "api")); // models ignore case, an empty list allows any channel
        Assert.False(read.Allows("image", "GPT-4o", "api"));
        Assert.False(read.Allows("llm_text", "other", "api"));
        Assert.Same(read, ScopeDocument.Read(new string(text.AsSpan())));
    }
}
