using System.Text.Json.Nodes;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Export;
using LoraBuild.Core.Gguf;

namespace LoraBuild.Core.Tests.Export;

public class GgufTokenizerMetadataTests
{
    // The pre_tokenizer blocks of Meta-Llama-3's and Qwen3's tokenizer.json, verbatim.
    private const string Llama3PreTokenizer = """
        {
          "type": "Sequence",
          "pretokenizers": [
            {
              "type": "Split",
              "pattern": {
                "Regex": "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"
              },
              "behavior": "Isolated",
              "invert": false
            },
            {
              "type": "ByteLevel",
              "add_prefix_space": false,
              "trim_offsets": true,
              "use_regex": false
            }
          ]
        }
        """;

    private const string Qwen2PreTokenizer = """
        {
          "type": "Sequence",
          "pretokenizers": [
            {
              "type": "Split",
              "pattern": {
                "Regex": "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"
              },
              "behavior": "Isolated",
              "invert": false
            },
            {
              "type": "ByteLevel",
              "add_prefix_space": false,
              "trim_offsets": false,
              "use_regex": false
            }
          ]
        }
        """;

    private const string TokenizerConfig = """
        {"bos_token": "<|bos|>", "eos_token": {"content": "<|eos|>", "lstrip": false, "special": true}, "add_bos_token": true, "chat_template": "{{ messages }}"}
        """;

    [Fact]
    public void AGpt2StyleTokenizerIsGpt2WithTheGpt2PreTokenizer()
    {
        using var folder = new TokenizerFolder().Save(TokenizerConfig);

        var metadata = Read(folder, folder.Vocabulary.Tokens.Count);

        Assert.Equal("gpt2", metadata["tokenizer.ggml.model"].AsString());
        Assert.Equal("gpt-2", metadata["tokenizer.ggml.pre"].AsString());
    }

    [Fact]
    public void TokensAreListedById()
    {
        using var folder = new TokenizerFolder().Save(TokenizerConfig);
        var count = folder.Vocabulary.Tokens.Count;

        var tokens = Strings(Read(folder, count)["tokenizer.ggml.tokens"]);

        Assert.Equal(folder.Vocabulary.Tokens, tokens);
        Assert.Equal("Ā", tokens[0]); // ids 0-255 are the byte values, in GPT-2's byte alphabet
        Assert.Equal("Ġ", tokens[' ']);
        Assert.Equal("!", tokens['!']);
        Assert.Equal(TokenizerFolder.Eos, tokens[^1]);
    }

    [Fact]
    public void SpecialTokensAreControlTokensAndTheRestNormal()
    {
        using var folder = new TokenizerFolder().Save(TokenizerConfig);
        var count = folder.Vocabulary.Tokens.Count;

        var types = Ints(Read(folder, count)["tokenizer.ggml.token_type"]);

        Assert.Equal(GgufValueType.Int32, Read(folder, count)["tokenizer.ggml.token_type"].ElementType);
        Assert.Equal(count, types.Count);
        Assert.All(types[..(count - 2)], type => Assert.Equal(1, type));
        Assert.Equal([3, 3], types[(count - 2)..]);
    }

    [Fact]
    public void IdsUpToTheVocabularySizeArePaddedAsUserDefinedTokens()
    {
        using var folder = new TokenizerFolder().Save(TokenizerConfig);
        var count = folder.Vocabulary.Tokens.Count;

        var metadata = Read(folder, count + 3);
        var tokens = Strings(metadata["tokenizer.ggml.tokens"]);
        var types = Ints(metadata["tokenizer.ggml.token_type"]);

        Assert.Equal(count + 3, tokens.Count);
        Assert.Equal([$"[PAD{count}]", $"[PAD{count + 1}]", $"[PAD{count + 2}]"], tokens[count..]);
        Assert.Equal([3, 3, 4, 4, 4], types[(count - 2)..]);
    }

    [Fact]
    public void AVocabularySizeBelowTheTokenizerKeepsEveryToken()
    {
        using var folder = new TokenizerFolder().Save(TokenizerConfig);
        var count = folder.Vocabulary.Tokens.Count;

        var tokens = Strings(Read(folder, count - 10)["tokenizer.ggml.tokens"]);

        Assert.Equal(count, tokens.Count);
    }

    [Fact]
    public void AddedTokensThatAreNotSpecialAreUserDefined()
    {
        using var folder = new TokenizerFolder();
        var count = folder.Vocabulary.Tokens.Count;
        folder.Tokenizer["added_tokens"]!.AsArray().Add(new JsonObject { ["id"] = count + 1, ["content"] = "<think>", ["special"] = false });
        folder.Save(TokenizerConfig);

        var metadata = Read(folder, count + 2);
        var tokens = Strings(metadata["tokenizer.ggml.tokens"]);
        var types = Ints(metadata["tokenizer.ggml.token_type"]);

        Assert.Equal([$"[PAD{count}]", "<think>"], tokens[count..]);
        Assert.Equal([4, 4], types[count..]);
    }

    [Fact]
    public void MergesAreWrittenAsPairsSeparatedByASpace()
    {
        using var folder = new TokenizerFolder().Save(TokenizerConfig);

        var merges = Strings(Read(folder, 300)["tokenizer.ggml.merges"]);

        Assert.Equal(folder.Vocabulary.Merges.Select(merge => $"{merge.Left} {merge.Right}"), merges);
        Assert.NotEmpty(merges);
        Assert.Equal("h e", merges[0]); // (h, e) and (t, h) tie as most frequent; the ordinally smaller goes first
        Assert.Contains(merges, merge => merge.StartsWith("Ġ ", StringComparison.Ordinal)); // " order": a space is Ġ in the byte alphabet
    }

    [Fact]
    public void MergesInTheArrayFormGiveTheSameStrings()
    {
        using var folder = new TokenizerFolder();
        var model = folder.Tokenizer["model"]!.AsObject();
        model["merges"] = new JsonArray([.. folder.Vocabulary.Merges.Select(merge => (JsonNode)new JsonArray(merge.Left, merge.Right))]);
        folder.Save(TokenizerConfig);

        var merges = Strings(Read(folder, 300)["tokenizer.ggml.merges"]);

        Assert.Equal(folder.Vocabulary.Merges.Select(merge => $"{merge.Left} {merge.Right}"), merges);
    }

    [Fact]
    public void MergesOfAnotherShapeAreRejected()
    {
        using var folder = new TokenizerFolder();
        folder.Tokenizer["model"]!["merges"] = new JsonArray(new JsonArray("a", "b", "c"));
        folder.Save(TokenizerConfig);

        AssertNotExportable(folder);
    }

    [Fact]
    public void BosAndEosComeFromTokenizerConfigInStringAndObjectForm()
    {
        using var folder = new TokenizerFolder().Save(TokenizerConfig);

        // config.json's ids (0 and 1) lose to the tokens tokenizer_config.json names.
        var metadata = Read(folder, 300, config => { config["bos_token_id"] = 0; config["eos_token_id"] = 1; });

        Assert.Equal(GgufValue.Of((uint)folder.Vocabulary.IdOf(TokenizerFolder.Bos)), metadata["tokenizer.ggml.bos_token_id"]);
        Assert.Equal(GgufValue.Of((uint)folder.Vocabulary.IdOf(TokenizerFolder.Eos)), metadata["tokenizer.ggml.eos_token_id"]);
        Assert.False(metadata.ContainsKey("tokenizer.ggml.unknown_token_id"));
        Assert.False(metadata.ContainsKey("tokenizer.ggml.padding_token_id"));
    }

    [Fact]
    public void UnknownAndPaddingTokensAreNamedToo()
    {
        using var folder = new TokenizerFolder().Save("""{"unk_token": {"content": "<|eos|>"}, "pad_token": "<|bos|>"}""");

        var metadata = Read(folder, 300);

        Assert.Equal(GgufValue.Of((uint)folder.Vocabulary.IdOf(TokenizerFolder.Eos)), metadata["tokenizer.ggml.unknown_token_id"]);
        Assert.Equal(GgufValue.Of((uint)folder.Vocabulary.IdOf(TokenizerFolder.Bos)), metadata["tokenizer.ggml.padding_token_id"]);
    }

    [Fact]
    public void WithoutTokenizerConfigTheIdsOfConfigJsonAreUsed()
    {
        using var folder = new TokenizerFolder().Save();

        var metadata = Read(folder, 300, config => { config["bos_token_id"] = 5; config["eos_token_id"] = new JsonArray(7, 8); config["pad_token_id"] = 9; });

        Assert.Equal(GgufValue.Of(5u), metadata["tokenizer.ggml.bos_token_id"]);
        Assert.Equal(GgufValue.Of(7u), metadata["tokenizer.ggml.eos_token_id"]);
        Assert.Equal(GgufValue.Of(9u), metadata["tokenizer.ggml.padding_token_id"]);
        Assert.False(metadata.ContainsKey("tokenizer.ggml.add_bos_token"));
        Assert.False(metadata.ContainsKey("tokenizer.chat_template"));
    }

    [Fact]
    public void AddBosAddEosAndTheChatTemplateAreCopied()
    {
        using var folder = new TokenizerFolder().Save("""{"add_bos_token": false, "add_eos_token": true, "chat_template": "{% for m in messages %}{{ m.content }}{% endfor %}"}""");

        var metadata = Read(folder, 300);

        Assert.Equal(GgufValue.Of(false), metadata["tokenizer.ggml.add_bos_token"]);
        Assert.Equal(GgufValue.Of(true), metadata["tokenizer.ggml.add_eos_token"]);
        Assert.Equal("{% for m in messages %}{{ m.content }}{% endfor %}", metadata["tokenizer.chat_template"].AsString());
        Assert.Equal("{% for m in messages %}{{ m.content }}{% endfor %}", GgufTokenizerMetadata.ChatTemplate(folder.Path));
    }

    [Fact]
    public void KeysComeInLlamaCppConverterOrder()
    {
        using var folder = new TokenizerFolder().Save(TokenizerConfig);

        var keys = GgufTokenizerMetadata.Read(folder.Path, TokenizerFolder.Config(300)).Select(pair => pair.Key);

        Assert.Equal(
            [
                "tokenizer.ggml.model", "tokenizer.ggml.pre", "tokenizer.ggml.tokens", "tokenizer.ggml.token_type", "tokenizer.ggml.merges",
                "tokenizer.ggml.bos_token_id", "tokenizer.ggml.eos_token_id", "tokenizer.ggml.add_bos_token", "tokenizer.chat_template",
            ],
            keys);
    }

    [Theory]
    [InlineData(Llama3PreTokenizer, "llama-bpe")]
    [InlineData(Qwen2PreTokenizer, "qwen2")]
    public void Llama3AndQwen2SplitPatternsAreRecognized(string preTokenizer, string name)
    {
        using var folder = new TokenizerFolder();
        folder.Tokenizer["pre_tokenizer"] = JsonNode.Parse(preTokenizer);
        folder.Save(TokenizerConfig);

        Assert.Equal(name, Read(folder, 300)["tokenizer.ggml.pre"].AsString());
    }

    [Theory]
    [InlineData("""{"type": "ByteLevel", "add_prefix_space": false, "use_regex": false}""")]
    [InlineData("""{"type": "Metaspace", "replacement": "▁"}""")]
    [InlineData("null")]
    [InlineData("""{"type": "Sequence", "pretokenizers": [{"type": "Split", "pattern": {"Regex": "\\p{N}"}, "behavior": "Isolated"}, {"type": "ByteLevel", "use_regex": false}]}""")]
    [InlineData("""{"type": "Sequence", "pretokenizers": [{"type": "Digits", "individual_digits": true}, {"type": "ByteLevel", "use_regex": true}]}""")]
    [InlineData("""{"type": "Sequence", "pretokenizers": [{"type": "Split", "pattern": {"String": "x"}, "behavior": "Isolated"}, {"type": "ByteLevel", "use_regex": false}]}""")]
    public void OtherPreTokenizersAreNotExportable(string preTokenizer)
    {
        using var folder = new TokenizerFolder();
        folder.Tokenizer["pre_tokenizer"] = JsonNode.Parse(preTokenizer);
        folder.Save(TokenizerConfig);

        AssertNotExportable(folder);
    }

    [Fact]
    public void ALlama3PatternChangedByOneCharacterIsNotExportable()
    {
        using var folder = new TokenizerFolder();
        var preTokenizer = JsonNode.Parse(Llama3PreTokenizer)!;
        preTokenizer["pretokenizers"]![0]!["pattern"]!["Regex"] = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,4}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
        folder.Tokenizer["pre_tokenizer"] = preTokenizer;
        folder.Save(TokenizerConfig);

        AssertNotExportable(folder);
    }

    [Theory]
    [InlineData("Unigram")]
    [InlineData("WordPiece")]
    [InlineData("WordLevel")]
    public void ModelsOtherThanBpeAreNotExportable(string type)
    {
        using var folder = new TokenizerFolder();
        folder.Tokenizer["model"]!["type"] = type;
        folder.Save(TokenizerConfig);

        AssertNotExportable(folder);
    }

    [Fact]
    public void AMissingOrBrokenTokenizerIsNotExportable()
    {
        using var folder = new TokenizerFolder();
        var config = TokenizerFolder.Config(300);

        var missing = Assert.Throws<LoraException>(() => GgufTokenizerMetadata.Read(folder.Path, config));
        File.WriteAllText(folder.TokenizerPath, "{ not json");
        var broken = Assert.Throws<LoraException>(() => GgufTokenizerMetadata.Read(folder.Path, config));

        Assert.Equal(ExportErrorCodes.TokenizerNotExportable, missing.Code);
        Assert.Equal(folder.TokenizerPath, missing.Location);
        Assert.Equal(ExportErrorCodes.TokenizerNotExportable, broken.Code);
    }

    private static void AssertNotExportable(TokenizerFolder folder)
    {
        var exception = Assert.Throws<LoraException>(() => GgufTokenizerMetadata.Read(folder.Path, TokenizerFolder.Config(300)));

        Assert.Equal(ExportErrorCodes.TokenizerNotExportable, exception.Code);
        Assert.Equal(folder.TokenizerPath, exception.Location);
    }

    private static Dictionary<string, GgufValue> Read(TokenizerFolder folder, int vocabSize, Action<JsonObject>? edit = null) =>
        GgufTokenizerMetadata.Read(folder.Path, TokenizerFolder.Config(vocabSize, edit)).ToDictionary(pair => pair.Key, pair => pair.Value);

    private static List<string> Strings(GgufValue value)
    {
        Assert.Equal(GgufValueType.String, value.ElementType);
        return [.. value.Items.Select(item => item.AsString())];
    }

    private static List<int> Ints(GgufValue value) => [.. value.Items.Select(item => (int)item.Value)];
}
