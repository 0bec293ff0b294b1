using System.Text.Json;
using System.Text.Json.Serialization;

namespace LoraBuild.Core.Specs;

/// <summary>
/// Reads <c>"baseModel"</c> as an object (<c>path</c>, <c>hubId</c>, <c>revision</c>) or as a string: <c>hf://org/name@rev</c>
/// names a hub model, anything else a local folder. Always written as an object.
/// </summary>
internal sealed class BaseModelReferenceJsonConverter : JsonConverter<BaseModelReference>
{
    public override BaseModelReference? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return BaseModelReference.FromText(reader.GetString()!);
        }

        var fields = JsonSerializer.Deserialize<Fields>(ref reader, options);
        return fields is null ? null : new BaseModelReference { Path = fields.Path, HubId = fields.HubId, Revision = fields.Revision };
    }

    public override void Write(Utf8JsonWriter writer, BaseModelReference value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, new Fields { Path = value.Path, HubId = value.HubId, Revision = value.Revision }, options);

    /// <summary>The object form; a type of its own so that (de)serializing it does not come back to this converter.</summary>
    private sealed record Fields
    {
        public string? Path { get; init; }

        public string? HubId { get; init; }

        public string? Revision { get; init; }
    }
}
