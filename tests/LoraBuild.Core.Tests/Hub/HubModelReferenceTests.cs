using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Hub;

namespace LoraBuild.Core.Tests.Hub;

public class HubModelReferenceTests
{
    [Theory]
    [InlineData("hf://meta-llama/Llama-3.2-1B-Instruct@main", "meta-llama/Llama-3.2-1B-Instruct", "main")]
    [InlineData("hf://Qwen/Qwen2.5-0.5B-Instruct", "Qwen/Qwen2.5-0.5B-Instruct", "main")]
    [InlineData("hf://org/tiny@v1.0", "org/tiny", "v1.0")]
    [InlineData("hf://org/tiny@refs/pr/1", "org/tiny", "refs/pr/1")]
    [InlineData("hf://gpt2@0123456789abcdef0123456789abcdef01234567", "gpt2", "0123456789abcdef0123456789abcdef01234567")]
    public void ParsesRepositoryAndRevision(string text, string repoId, string revision)
    {
        var reference = HubModelReference.Parse(text);

        Assert.Equal(repoId, reference.RepoId);
        Assert.Equal(revision, reference.Revision);
        Assert.Equal(revision.Length == 40, reference.IsPinned);
        Assert.Equal(text.Contains('@', StringComparison.Ordinal) ? text : text + "@main", reference.ToString());
    }

    [Theory]
    [InlineData("org/tiny")]
    [InlineData("hf://")]
    [InlineData("hf://org/tiny/extra")]
    [InlineData("hf://org/ti--ny")]
    [InlineData("hf://-org/tiny")]
    [InlineData("hf://org/tiny@../../etc")]
    [InlineData("hf://org/tiny@main/")]
    [InlineData("hf://org/tiny@a b")]
    public void RefusesMalformedReferencesWithACode(string text)
    {
        var error = Assert.Throws<LoraException>(() => HubModelReference.Parse(text, "lora.json"));

        Assert.Equal(HubErrorCodes.ReferenceInvalid, error.Code);
        Assert.Equal("lora.json", error.Location);
    }

    [Fact]
    public void TheCacheFolderIsNamedAsHuggingfaceHubNamesIt() =>
        Assert.Equal("models--meta-llama--Llama-3.2-1B", HubModelReference.Parse("hf://meta-llama/Llama-3.2-1B").CacheFolderName);
}
