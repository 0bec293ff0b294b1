using LoraBuild.Core.Data;

namespace LoraBuild.Core.Tests.Data;

public sealed class ChatReaderTests : IDisposable
{
    private readonly TempDataset _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void ConversationsAreReadWithRolesInOrder()
    {
        var path = _files.Write("chat.jsonl", """
            {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."}]}

            {"messages": [{"role": "user", "content": "1?", "name": "x"}, {"role": "assistant", "content": "1"}, {"role": "user", "content": "2?"}, {"role": "assistant", "content": "2"}], "id": 9}
            """);

        var records = DatasetReader.ReadChat(path);

        Assert.Equal(2, records.Count);
        Assert.Equal(
            [new ChatMessage(ChatRole.System, "Be brief."), new ChatMessage(ChatRole.User, "Hi"), new ChatMessage(ChatRole.Assistant, "Hello.")],
            records[0].Messages);
        Assert.Equal($"{path}:1", records[0].Location);
        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.User, ChatRole.Assistant], records[1].Messages.Select(m => m.Role));
        Assert.Equal($"{path}:3", records[1].Location);
    }

    [Fact]
    public void ConversationsCanComeAsAJsonArray()
    {
        var path = _files.Write("chat.json", """
            [
              {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."}]},
              {"messages": [
                {"role": "user", "content": "Hi"},
                {"role": "assistant", "content": "Hello."}
              ]}
            ]
            """);

        Assert.Equal([$"{path}:2", $"{path}:3"], DatasetReader.ReadChat(path).Select(record => record.Location));
    }

    [Theory]
    [InlineData("bot")]
    [InlineData("User")]
    [InlineData("tool")]
    public void UnknownRoleIsRejected(string role)
    {
        var path = _files.Write(
            "chat.jsonl",
            $"{Conversation(("user", "a"), ("assistant", "b"))}\n{Conversation(("user", "a"), (role, "b"))}\n");

        var exception = LoraAssert.Throws(DataErrorCodes.ChatRoleInvalid, $"{path}:2", () => DatasetReader.ReadChat(path));
        Assert.Contains("messages[1]", exception.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> OutOfOrderConversations => new()
    {
        { Conversation(("assistant", "a"), ("user", "b"), ("assistant", "c")), "messages[0]" },
        { Conversation(("user", "a"), ("user", "b"), ("assistant", "c")), "messages[1]" },
        { Conversation(("user", "a"), ("assistant", "b"), ("assistant", "c")), "messages[2]" },
        { Conversation(("system", "s"), ("system", "t"), ("user", "a"), ("assistant", "b")), "messages[1]" },
        { Conversation(("user", "a"), ("system", "s"), ("assistant", "b")), "messages[1]" },
        { Conversation(("system", "s"), ("assistant", "b")), "messages[1]" },
        { Conversation(("user", "a"), ("assistant", "b"), ("user", "c")), "must end with an assistant message" },
        { Conversation(("user", "a")), "must end with an assistant message" },
        { Conversation(("system", "s")), "must end with an assistant message" },
    };

    [Theory]
    [MemberData(nameof(OutOfOrderConversations))]
    public void MessagesOutOfOrderAreRejected(string conversation, string expectedInMessage)
    {
        var path = _files.Write("chat.jsonl", $"\n{conversation}\n");

        var exception = LoraAssert.Throws(DataErrorCodes.ChatOrderInvalid, $"{path}:2", () => DatasetReader.ReadChat(path));
        Assert.Contains(expectedInMessage, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyConversationIsRejected()
    {
        var path = _files.Write("chat.jsonl", "{\"messages\": []}\n");

        LoraAssert.Throws(DataErrorCodes.FieldEmpty, $"{path}:1", () => DatasetReader.ReadChat(path));
    }

    [Theory]
    [InlineData("{\"conversation\": []}", DataErrorCodes.FieldMissing, "\"messages\"")]
    [InlineData("{\"messages\": \"hi\"}", DataErrorCodes.FieldWrongType, "\"messages\" must be an array, but is a string.")]
    [InlineData("{\"messages\": [\"hi\"]}", DataErrorCodes.FieldWrongType, "messages[0] must be an object")]
    [InlineData("{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}, {\"role\": \"assistant\"}]}", DataErrorCodes.FieldMissing, "\"messages[1].content\"")]
    [InlineData("{\"messages\": [{\"content\": \"a\"}]}", DataErrorCodes.FieldMissing, "\"messages[0].role\"")]
    [InlineData("{\"messages\": [{\"role\": \"user\", \"content\": 5}]}", DataErrorCodes.FieldWrongType, "\"messages[0].content\" must be a string, but is a number.")]
    [InlineData("{\"messages\": [{\"role\": null, \"content\": \"a\"}]}", DataErrorCodes.FieldWrongType, "\"messages[0].role\" must be a string, but is null.")]
    public void MalformedMessagesAreNamed(string record, string code, string expectedInMessage)
    {
        var path = _files.Write("chat.jsonl", Conversation(("user", "a"), ("assistant", "b")) + "\n" + record + "\n");

        var exception = LoraAssert.Throws(code, $"{path}:2", () => DatasetReader.ReadChat(path));
        Assert.Contains(expectedInMessage, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedChatLineIsReported()
    {
        var path = _files.Write("chat.jsonl", "{\"messages\": [}\n");

        LoraAssert.Throws(DataErrorCodes.MalformedJson, $"{path}:1", () => DatasetReader.ReadChat(path));
    }

    [Fact]
    public void EmptyChatFileIsRejected()
    {
        var path = _files.Write("chat.jsonl", "\n\n");

        LoraAssert.Throws(DataErrorCodes.DatasetEmpty, path, () => DatasetReader.Read(path, DatasetFormat.Chat));
    }

    internal static string Conversation(params (string Role, string Content)[] messages) =>
        "{\"messages\": [" + string.Join(", ", messages.Select(m => $"{{\"role\": \"{m.Role}\", \"content\": \"{m.Content}\"}}")) + "]}";
}
