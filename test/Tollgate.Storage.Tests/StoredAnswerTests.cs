using System.Text.Json;
using CsCheck;
using Tollgate.Core.Rating;
using Tollgate.Storage.Ledger;

namespace Tollgate.Storage.Tests;

/// <summary>The answer kept per event is compact and gives back exactly the answer that was given.</summary>
public sealed class StoredAnswerTests
{
    // Every property, nulls included: equal texts are equal answers.
    private static readonly JsonSerializerOptions Full = new(JsonSerializerDefaults.Web);

    private static readonly Gen<decimal> Amount = Gen.Select(Gen.Long[0, 999_999_999_999L], Gen.Byte[0, 12])
        .Select((mantissa, scale) => new decimal(unchecked((int)mantissa), (int)(mantissa >> 32), 0, false, scale));

    private static Gen<T> OneOf<T>(params T[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    private static readonly Gen<string> Text = Gen.String[Gen.Char.AlphaNumeric, 0, 12]
        .Select(OneOf("", " é", "\"quoted\"", "end_user:", "中文"), (s, extra) => s + extra);

    private static readonly Gen<Modifier> ModifierGen = Gen.Select(Text, Gen.Select(Gen.Bool, Amount).Select((some, f) => some ? f : (decimal?)null), Text).Select((k, f, n) => new Modifier(k, f, n));

    private static readonly Gen<ChargeLine> LineGen = Gen.Select(Text, Amount, Amount, Amount, Text, Amount, ModifierGen.Array[0, 3], Gen.Bool)
        .Select((m, q, up, per, c, a, mods, est) => new ChargeLine(m, q, up, per, c, a, mods, est));

    private static readonly Gen<RatedCharge> ChargeGen = Gen.Select(Text, Amount, Amount, Text, LineGen.Array[0, 4], Text, Text)
        .Select((id, total, sub, unit, lines, book, version) => new RatedCharge(id, total, sub, unit, lines, book, version));

    private static readonly Gen<Payment> PaymentGen = Gen.Select(Gen.Long[1, long.MaxValue], Text, Text, Amount, Amount)
        .Select((id, kind, unit, amount, covers) => new Payment(id, kind, unit, amount, covers));

    private static readonly Gen<RecordResult> ResultGen = Gen.Select(
            Gen.Select(Text, OneOf(RecordResult.Charged, RecordResult.Rejected), ChargeGen.Null(), OneOf<string?>("developer", "end_user:u-1", "nobody", null)),
            Gen.Select(Text.Null(), Amount, PaymentGen.Array[0, 3].Null(), Amount),
            Gen.Select(Gen.Select(Text, Text, Text.Null()).Select((c, m, f) => new RatingError(c, m, f)).Null(), Gen.Bool, Amount))
        .Select((a, b, c) => new RecordResult(a.Item1, a.Item2, a.Item3, a.Item4, b.Item1, b.Item2, b.Item3, b.Item4, c.Item1, c.Item2, c.Item3));

    [Fact]
    public void ReadAfterWrite_AnyAnswer_IsTheSameAnswerToTheLastDigitAndScale() =>
        Gen.Select(ResultGen, Gen.Bool, Gen.Bool).Sample((result, ownRow, sameChargeId) =>
        {
            // Kept in its event's row (the ids left out), in another's, or as a copy elsewhere; a charge of the same event or not.
            result = sameChargeId && result.Charge is { } charge ? result with { Charge = charge with { EventId = result.EventId } } : result;
            var row = ownRow ? result.EventId : result.EventId + "-other";
            var again = StoredAnswer.Read(StoredAnswer.WriteUtf8(result, row).ToString(), row);
            // The full form writes every property, computed ones and each decimal's scale included: equal texts are equal answers.
            Assert.Equal(JsonSerializer.Serialize(result, Full), JsonSerializer.Serialize(again, Full));
        });

    [Fact]
    public void Write_InItsEventsRow_LeavesOutTheIds_AndACopyElsewhereKeepsThem()
    {
        var charge = new RatedCharge("e-1", 1m, 1m, "credits", [], "gptbots", "1");
        var result = new RecordResult("e-1", RecordResult.Charged, charge, "developer", "credits", 1m);

        var inRow = StoredAnswer.WriteUtf8(result, "e-1").ToString();
        var copy = StoredAnswer.WriteUtf8(result, eventId: null).ToString();

        Assert.DoesNotContain("e-1", inRow, StringComparison.Ordinal);
        Assert.Equal(2, copy.Split("\"eventId\":\"e-1\"").Length - 1);
        Assert.Equal("e-1", StoredAnswer.Read(copy, eventId: null).Charge!.EventId);
        Assert.Throws<InvalidDataException>(() => StoredAnswer.Read(inRow, eventId: null));
    }

    [Fact]
    public void Read_TheLongerFormOfEarlierVersions_GivesTheSameAnswer() =>
        ResultGen.Sample(result =>
            Assert.Equal(JsonSerializer.Serialize(result, Full), JsonSerializer.Serialize(StoredAnswer.Read(JsonSerializer.Serialize(result, Full), "another-event"), Full)));

    [Fact]
    public void Read_ARowStoredByEarlierVersions_WithComputedPropertiesAndNulls_GivesTheSameAnswer()
    {
        const string earlier = """
            {"eventId":"e-9","status":"charged","charge":{"eventId":"e-9","total":0.6182,"subtotal":0.6182,"unit":"credits","lines":[{"meter":"input_tokens","quantity":1102,"unitPrice":0.22,"per":1000,"currency":"credits","amount":0.24244,"modifiers":[{"kind":"key_mode","factor":null,"note":"platform key price"}],"estimated":false}],"priceBookId":"gptbots","priceBookVersion":"1","priceBook":"gptbots@1","estimated":false},"payer":"developer","unit":"credits","amount":0.6182,"payments":[{"accountId":7,"kind":"recharge","unit":"credits","amount":0.6182,"covers":0.6182}],"arrears":0.0000,"error":null,"duplicate":false,"payerOwner":""}
            """;
        var charge = new RatedCharge("e-9", 0.6182m, 0.6182m, "credits",
            [new ChargeLine("input_tokens", 1102, 0.22m, 1000, "credits", 0.24244m, [new Modifier("key_mode", null, "platform key price")], false)], "gptbots", "1");
        var expected = new RecordResult("e-9", RecordResult.Charged, charge, "developer", "credits", 0.6182m, [new Payment(7, "recharge", "credits", 0.6182m, 0.6182m)], 0.0000m);

        var read = StoredAnswer.Read(earlier, "e-9");

        Assert.Equal(JsonSerializer.Serialize(expected, Full), JsonSerializer.Serialize(read, Full));
        Assert.Equal("gptbots@1", read.Charge!.PriceBook);
    }

    [Fact]
    public void Write_ATypicalCharge_LeavesOutNullsAndWhatIsComputed()
    {
        var charge = new RatedCharge("e-1", 0.12111m, 0.12111m, "credits",
            [new ChargeLine("input_tokens", 1116, 0.0275m, 1000, "credits", 0.03069m, [new Modifier("key_mode", null, "platform key price")], false)], "gptbots", "1");
        var result = new RecordResult("e-1", RecordResult.Charged, charge, "developer", "credits", 0.12111m, [new Payment(1, "recharge", "credits", 0.12111m, 0.12111m)], 0.00000m);

        var stored = Write(result);
        var full = JsonSerializer.Serialize(result, Full);

        Assert.DoesNotContain("null", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("priceBook\"", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("payerOwner", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("e-1", stored, StringComparison.Ordinal); // the row's own id
        Assert.DoesNotContain("estimated", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("duplicate", stored, StringComparison.Ordinal);
        Assert.Contains("\"arrears\":0.00000", stored, StringComparison.Ordinal); // the scale of a zero is kept
        Assert.True(stored.Length < full.Length, $"{stored.Length} against {full.Length}");
    }

    [Fact]
    public void Write_UsesTheGeneratedWriterNotReflection() =>
        Assert.NotNull(StoredAnswerJson.Default.RecordResult.SerializeHandler);

    private static string Write(RecordResult result) => StoredAnswer.WriteUtf8(result, result.EventId).ToString();
}
