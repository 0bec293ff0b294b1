using System.Text.Json.Nodes;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Engine.Tokenizers;
using static LoraBuild.Engine.Tests.Tokenizers.TokenizerJsonFixtures;

namespace LoraBuild.Engine.Tests.Tokenizers;

public sealed class SpecialTokenConfigurationTests : IDisposable
{
    private readonly TemporaryModelDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void LoadTokenizerConfigBeatsSpecialTokensMapBeatsConfigIds()
    {
        _directory
            .WriteJson("tokenizer.json", ByteLevel())
            .WriteJson("tokenizer_config.json", new JsonObject { ["eos_token"] = "<|im_end|>", ["pad_token"] = null })
            .WriteJson("special_tokens_map.json", new JsonObject
            {
                ["bos_token"] = new JsonObject { ["content"] = "<|endoftext|>", ["lstrip"] = false },
                ["eos_token"] = "<|endoftext|>",
            })
            .WriteJson("config.json", new JsonObject
            {
                ["bos_token_id"] = ImStart,
                ["eos_token_id"] = new JsonArray(EndOfText, ImStart),
                ["pad_token_id"] = EndOfText,
            });

        var tokenizer = HuggingFaceTokenizer.Load(_directory.Path);

        Assert.Equal(EndOfText, tokenizer.BosTokenId);
        Assert.Equal(ImEnd, tokenizer.EosTokenId);
        Assert.Equal(EndOfText, tokenizer.PadTokenId);
        Assert.Equal([EndOfText, ImStart, ImEnd], tokenizer.EosTokenIds.Order());
    }

    [Fact]
    public void LoadEosIdsComeFromConfigAndGenerationConfigLists()
    {
        _directory
            .WriteJson("tokenizer.json", ByteLevel())
            .WriteJson("config.json", new JsonObject { ["eos_token_id"] = new JsonArray(ImEnd, EndOfText), ["pad_token_id"] = null })
            .WriteJson("generation_config.json", new JsonObject { ["eos_token_id"] = ImStart });

        var tokenizer = HuggingFaceTokenizer.Load(_directory.Path);

        Assert.Equal(ImEnd, tokenizer.EosTokenId);
        Assert.Equal([EndOfText, ImStart, ImEnd], tokenizer.EosTokenIds.Order());
        Assert.Null(tokenizer.PadTokenId);
        Assert.Null(tokenizer.BosTokenId);
    }

    [Fact]
    public void EncodeAddBosAndEosTokenFromTokenizerConfig()
    {
        _directory
            .WriteJson("tokenizer.json", SentencePiece())
            .WriteJson("tokenizer_config.json", new JsonObject
            {
                ["add_bos_token"] = true,
                ["add_eos_token"] = true,
                ["bos_token"] = "<s>",
                ["eos_token"] = "</s>",
            });

        var tokenizer = HuggingFaceTokenizer.Load(_directory.Path);

        Assert.Equal([Bos, SpaceHello, Eos], tokenizer.Encode("hello"));
        Assert.Equal([SpaceHello], tokenizer.Encode("hello", addSpecialTokens: false));
    }

    [Fact]
    public void EncodeAddBosTokenFalseOverridesTheTemplate()
    {
        _directory
            .WriteJson("tokenizer.json", SentencePiece())
            .WriteJson("tokenizer_config.json", new JsonObject { ["add_bos_token"] = false, ["bos_token"] = "<s>" });

        var tokenizer = HuggingFaceTokenizer.Load(_directory.Path);

        Assert.Equal([SpaceHello], tokenizer.Encode("hello"));
        Assert.Equal(Bos, tokenizer.BosTokenId);
    }

    [Fact]
    public void EncodeSentencePieceWithoutTemplateAddsBosByDefault()
    {
        var json = SentencePiece();
        json["post_processor"] = null;
        _directory
            .WriteJson("tokenizer.json", json)
            .WriteJson("special_tokens_map.json", new JsonObject { ["bos_token"] = "<s>" });

        var tokenizer = HuggingFaceTokenizer.Load(_directory.Path);

        Assert.Equal([Bos, SpaceHello], tokenizer.Encode("hello"));
    }

    [Fact]
    public void EncodeByteLevelAddsBosWhenTokenizerConfigAsks()
    {
        _directory
            .WriteJson("tokenizer.json", ByteLevel())
            .WriteJson("tokenizer_config.json", new JsonObject { ["add_bos_token"] = true, ["bos_token"] = "<|endoftext|>" });

        var tokenizer = HuggingFaceTokenizer.Load(_directory.Path);

        Assert.Equal([EndOfText, Hello], tokenizer.Encode("hello"));
    }

    [Fact]
    public void EncodeSpecialTokensNamedOnlyByConfigAreMatchedWholeAndSkippedInDecode()
    {
        var json = SentencePiece();
        json["added_tokens"] = new JsonArray();
        _directory
            .WriteJson("tokenizer.json", json)
            .WriteJson("tokenizer_config.json", new JsonObject { ["bos_token"] = "<s>", ["eos_token"] = "</s>" });

        var tokenizer = HuggingFaceTokenizer.Load(_directory.Path);
        var ids = tokenizer.Encode("hello</s>");

        Assert.Equal([Bos, SpaceHello, Eos], ids);
        Assert.Equal("hello", tokenizer.Decode(ids));
    }

    [Fact]
    public void LoadSpecialTokenMissingFromVocabularyIsAnError()
    {
        _directory
            .WriteJson("tokenizer.json", ByteLevel())
            .WriteJson("tokenizer_config.json", new JsonObject { ["eos_token"] = "<|eot_id|>" });

        var error = Assert.Throws<LoraException>(() => HuggingFaceTokenizer.Load(_directory.Path));

        Assert.Equal(TokenizerErrorCodes.UnknownSpecialToken, error.Code);
        Assert.Equal(_directory.FilePath("tokenizer_config.json"), error.Location);
        Assert.Contains("<|eot_id|>", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadEosTokenIdOfTheWrongTypeIsAnError()
    {
        _directory
            .WriteJson("tokenizer.json", ByteLevel())
            .WriteJson("config.json", new JsonObject { ["eos_token_id"] = "</s>" });

        var error = Assert.Throws<LoraException>(() => HuggingFaceTokenizer.Load(_directory.Path));

        Assert.Equal(TokenizerErrorCodes.InvalidSpecialTokenSetting, error.Code);
        Assert.Equal(_directory.FilePath("config.json"), error.Location);
    }
}
