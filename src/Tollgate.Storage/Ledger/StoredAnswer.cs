using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tollgate.Storage.Ledger;

/// <summary>
/// The answer kept with each recorded event, returned again on a repeat: a <see cref="RecordResult"/>
/// as compact JSON. Written by source-generated code (no reflection, no per-call write stack); nulls and the
/// properties computed from others (a charge's price book name and estimated flag, the payer's owner) are left out,
/// and reading gives them back, so a repeat answers exactly what the first call did. Rows written before in the
/// longer form read the same.
/// </summary>
internal static class StoredAnswer
{
    /// <summary>The JSON as UTF-8, as an events row keeps it (<see cref="Sql.Utf8Text"/>).</summary>
    public static Sql.Utf8Text WriteUtf8(RecordResult result) => new(JsonSerializer.SerializeToUtf8Bytes(result, StoredAnswerJson.Default.RecordResult));

    public static RecordResult Read(string json) => JsonSerializer.Deserialize(json, StoredAnswerJson.Default.RecordResult)
        ?? throw new InvalidDataException("a stored answer is the JSON null");
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RecordResult))]
internal sealed partial class StoredAnswerJson : JsonSerializerContext;
