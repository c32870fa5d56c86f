using Newtonsoft.Json.Linq;

namespace Tollgate.Server.Tests.OpenApi;

/// <summary>One operation of the document: its method, path template and the OpenAPI operation object.</summary>
internal sealed record ApiOperation(string Method, string Path, JObject Node)
{
    public string Name => $"{Method} {Path}";

    public JObject? RequestContent => Node["requestBody"]?["content"] as JObject;

    public JObject Responses => (JObject)Node["responses"]!;

    /// <summary>The response documented for a status, or null when the document does not list it.</summary>
    public JObject? Response(int status) => Responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] as JObject;
}
