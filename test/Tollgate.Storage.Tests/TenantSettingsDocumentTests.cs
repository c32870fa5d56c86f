using Tollgate.Core.Tenants;
using Tollgate.Storage.Ledger;

namespace Tollgate.Storage.Tests;

/// <summary>Stored tenant settings are parsed once per text: every hold and settlement reads its tenant's row.</summary>
public sealed class TenantSettingsDocumentTests
{
    [Fact]
    public void Parse_TheSameTextAgain_IsTheSameSettings_AChangedTextIsParsedAnew()
    {
        var id = $"t-{Guid.NewGuid():N}";
        var text = TenantSettingsDocument.From(new TenantSettings(id, PriceBook: "test-book", Strict: false)).ToJson();
        var first = TenantSettingsDocument.Parse(text);

        Assert.Same(first, TenantSettingsDocument.Parse(new string(text.AsSpan())));
        Assert.Equal((id, "test-book", false), (first.Id, first.PriceBook, first.Strict));

        var changed = TenantSettingsDocument.Parse(TenantSettingsDocument.From(first with { Strict = true }).ToJson());
        Assert.NotSame(first, changed);
        Assert.True(changed.Strict);
        Assert.False(TenantSettingsDocument.Parse(text).Strict);
    }
}
