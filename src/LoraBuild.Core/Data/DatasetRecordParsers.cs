using System.Text.Json;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Data;

/// <summary>Turns one JSON record into the record type of each dataset format, validating it.</summary>
internal static class DatasetRecordParsers
{
    /// <summary><c>instruction</c> and <c>output</c> are required strings, <c>input</c> an optional one; other fields are ignored.</summary>
    public static AlpacaRecord Alpaca(JsonRecordFields fields) => new(
        fields.RequiredString("instruction"),
        fields.OptionalString("input") ?? string.Empty,
        fields.RequiredString("output"),
        fields.Location);

    /// <summary>A non-empty <c>messages</c> array of <c>{"role", "content"}</c> objects in a valid order.</summary>
    public static ChatRecord Chat(JsonRecordFields fields)
    {
        var array = fields.RequiredArray("messages");
        var messages = new List<ChatMessage>(array.GetArrayLength());
        foreach (var element in array.EnumerateArray())
        {
            messages.Add(ChatMessageOf(element, $"messages[{messages.Count}]", fields.Location));
        }

        ChatConversationRules.ValidateForTraining(messages, fields.Location);
        return new ChatRecord(messages, fields.Location);
    }

    /// <summary>A non-empty <c>text</c> string.</summary>
    public static TextRecord Text(JsonRecordFields fields)
    {
        var text = fields.RequiredString("text");
        return text.Length > 0
            ? new TextRecord(text, fields.Location)
            : throw new LoraException(DataErrorCodes.FieldEmpty, "\"text\" is empty; a document needs at least one character.", fields.Location);
    }

    private static ChatMessage ChatMessageOf(JsonElement element, string name, string location)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new LoraException(
                DataErrorCodes.FieldWrongType,
                $"{name} must be an object with \"role\" and \"content\", but is {JsonRecordFields.Describe(element.ValueKind)}.",
                location);
        }

        var message = new JsonRecordFields(element, location, pathPrefix: $"{name}.");
        var roleName = message.RequiredString("role");
        var role = ChatMessage.TryParseRole(roleName) ?? throw new LoraException(
            DataErrorCodes.ChatRoleInvalid,
            $"{name} has role \"{roleName}\"; the roles are \"system\", \"user\" and \"assistant\".",
            location);
        return new ChatMessage(role, message.RequiredString("content"));
    }
}
