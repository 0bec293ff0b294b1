using System.Text.Json.Nodes;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Engine.Tokenizers;
using static LoraBuild.Engine.Tests.Tokenizers.TokenizerJsonFixtures;

namespace LoraBuild.Engine.Tests.Tokenizers;

public sealed class TokenizerLoadingErrorTests : IDisposable
{
    private readonly TemporaryModelDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private LoraException LoadFails() => Assert.Throws<LoraException>(() => HuggingFaceTokenizer.Load(_directory.Path));

    [Fact]
    public void LoadMissingDirectory()
    {
        string missing = Path.Combine(_directory.Path, "nope");

        var error = Assert.Throws<LoraException>(() => HuggingFaceTokenizer.Load(missing));

        Assert.Equal(TokenizerErrorCodes.TokenizerFilesMissing, error.Code);
        Assert.Equal(missing, error.Location);
    }

    [Fact]
    public void LoadDirectoryWithoutTokenizerFiles()
    {
        _directory.WriteJson("config.json", new JsonObject());

        var error = LoadFails();

        Assert.Equal(TokenizerErrorCodes.TokenizerFilesMissing, error.Code);
        Assert.Contains("tokenizer.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("tokenizer.model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadMalformedTokenizerJsonNamesFileAndLine()
    {
        _directory.WriteText("tokenizer.json", "{\n  \"model\": {\n    \"type\": \"BPE\",,\n  }\n}");

        var error = LoadFails();

        Assert.Equal(TokenizerErrorCodes.MalformedJson, error.Code);
        Assert.Equal(_directory.FilePath("tokenizer.json") + ":3", error.Location);
    }

    // Found by the fuzzer (build/Fuzz): JsonDocument accepted the file and GetString threw InvalidOperationException.
    [Theory]
    [InlineData("tokenizer.json")]
    [InlineData("tokenizer_config.json")]
    public void LoadInvalidUtf8InAStringIsMalformedJson(string file)
    {
        var tokenizer = ByteLevel();
        tokenizer["model"]!["vocab"]!["FUZZ"] = 1000;
        var config = new JsonObject { ["bos_token"] = "FUZZ" };
        _directory.WriteBytes("tokenizer.json", WithInvalidUtf8(tokenizer, file == "tokenizer.json"))
            .WriteBytes("tokenizer_config.json", WithInvalidUtf8(config, file == "tokenizer_config.json"));

        var error = LoadFails();

        Assert.Equal(TokenizerErrorCodes.MalformedJson, error.Code);
        Assert.Equal(_directory.FilePath(file), error.Location);
        Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
    }

    private static byte[] WithInvalidUtf8(JsonNode json, bool corrupt)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
        if (corrupt)
        {
            bytes[bytes.AsSpan().IndexOf("FUZZ"u8) + 1] = 0xAD;
        }

        return bytes;
    }

    [Fact]
    public void LoadMalformedTokenizerConfigNamesThatFile()
    {
        _directory.WriteJson("tokenizer.json", ByteLevel()).WriteText("tokenizer_config.json", "{ \"bos_token\": ");

        var error = LoadFails();

        Assert.Equal(TokenizerErrorCodes.MalformedJson, error.Code);
        Assert.StartsWith(_directory.FilePath("tokenizer_config.json"), error.Location, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("WordPiece")]
    [InlineData("Unigram")]
    [InlineData("WordLevel")]
    public void LoadNonBpeModelIsUnsupported(string type)
    {
        _directory.WriteJson("tokenizer.json", new JsonObject
        {
            ["model"] = new JsonObject { ["type"] = type, ["vocab"] = new JsonObject { ["[UNK]"] = 0 }, ["unk_token"] = "[UNK]" },
        });

        var error = LoadFails();

        Assert.Equal(TokenizerErrorCodes.UnsupportedModelType, error.Code);
        Assert.Equal(_directory.FilePath("tokenizer.json"), error.Location);
        Assert.Contains(type, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadMergeOfTokensOutsideTheVocabulary()
    {
        var json = ByteLevel();
        json["model"]!["merges"]!.AsArray().Add("Ġ xyz");
        _directory.WriteJson("tokenizer.json", json);

        var error = LoadFails();

        Assert.Equal(TokenizerErrorCodes.InvalidTokenizerDefinition, error.Code);
        Assert.Equal(_directory.FilePath("tokenizer.json"), error.Location);
    }

    [Fact]
    public void LoadUnsupportedPreTokenizer()
    {
        var json = ByteLevel();
        json["pre_tokenizer"] = new JsonObject { ["type"] = "BertPreTokenizer" };
        _directory.WriteJson("tokenizer.json", json);

        var error = LoadFails();

        Assert.Equal(TokenizerErrorCodes.UnsupportedComponent, error.Code);
        Assert.Contains("BertPreTokenizer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadCorruptSentencePieceModel()
    {
        _directory.WriteBytes("tokenizer.model", [0x0A, 0xFF, 0xFF, 0xFF, 0x0F, 0x01]);

        var error = LoadFails();

        Assert.Equal(TokenizerErrorCodes.InvalidSentencePieceModel, error.Code);
        Assert.Equal(_directory.FilePath("tokenizer.model"), error.Location);
    }
}
