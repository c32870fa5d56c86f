using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tollgate.Storage.Ledger;

/// <summary>
/// The answer kept with each recorded event, returned again on a repeat: a <see cref="RecordResult"/>
/// as compact JSON. Written by source-generated code (no reflection, no per-call write stack); what the reader gives
/// back is left out: nulls, the properties computed from others (a charge's price book name and estimated flag, the
/// payer's owner), flags that are false (a line's <c>estimated</c>, <c>duplicate</c>), and the event's id (the row's
/// own) in the answer and its charge. So a repeat answers exactly what the first call did. Rows written before in a
/// longer form read the same.
/// </summary>
internal static class StoredAnswer
{
    /// <summary>The JSON as UTF-8, as the row of event <paramref name="eventId"/> keeps it (<see cref="Sql.Utf8Text"/>); null for a copy with every id.</summary>
    public static Sql.Utf8Text WriteUtf8(RecordResult result, string? eventId)
    {
        if (result.EventId == eventId)
        {
            result = result with { EventId = null!, Charge = result.Charge is { } charge && charge.EventId == eventId ? charge with { EventId = null! } : result.Charge };
        }

        return new(JsonSerializer.SerializeToUtf8Bytes(result, StoredAnswerJson.Default.RecordResult));
    }

    /// <summary>
    /// The answer kept in the row of event <paramref name="eventId"/>; null for a copy kept elsewhere (a hold settled
    /// before version 36 kept one), which has its event's id.
    /// </summary>
    public static RecordResult Read(string json, string? eventId)
    {
        var result = JsonSerializer.Deserialize(json, StoredAnswerJson.Default.RecordResult)
            ?? throw new InvalidDataException("a stored answer is the JSON null");
        if (result.EventId is not null && result.Charge is not { EventId: null })
        {
            return result;
        }

        var id = result.EventId ?? eventId ?? throw new InvalidDataException("a stored answer without its event's id");
        return result with { EventId = id, Charge = result.Charge is { EventId: null } charge ? charge with { EventId = id } : result.Charge };
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RecordResult))]
internal sealed partial class StoredAnswerJson : JsonSerializerContext;
