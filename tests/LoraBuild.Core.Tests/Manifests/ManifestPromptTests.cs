using LoraBuild.Core.Data;
using LoraBuild.Core.Manifests;

namespace LoraBuild.Core.Tests.Manifests;

public class ManifestPromptTests
{
    [Fact]
    public void AnInstructionEveryAlpacaRecordSharesIsRecorded()
    {
        DatasetRecord[] records = [new AlpacaRecord("Classify.", "a", "x", "t:1"), new AlpacaRecord("Classify.", "b", "y", "t:2")];

        Assert.Equal(new ManifestPrompt { Instruction = "Classify." }, ManifestPrompt.Of(records));
    }

    [Fact]
    public void ASystemMessageEveryConversationOpensWithIsRecorded()
    {
        ChatRecord Conversation(string system) => new([new(ChatRole.System, system), new(ChatRole.User, "hi"), new(ChatRole.Assistant, "hello")], "c:1");

        Assert.Equal(new ManifestPrompt { System = "Be brief." }, ManifestPrompt.Of([Conversation("Be brief."), Conversation("Be brief.")]));
        Assert.Null(ManifestPrompt.Of([Conversation("Be brief."), Conversation("Be kind.")]));
    }

    [Fact]
    public void NothingIsRecordedWhenRecordsDifferOrMixFormats()
    {
        Assert.Null(ManifestPrompt.Of([new AlpacaRecord("One.", "", "x", "t:1"), new AlpacaRecord("Two.", "", "y", "t:2")]));
        Assert.Null(ManifestPrompt.Of([new AlpacaRecord("One.", "", "x", "t:1"), new TextRecord("plain", "t:2")]));
        Assert.Null(ManifestPrompt.Of([]));
    }
}
