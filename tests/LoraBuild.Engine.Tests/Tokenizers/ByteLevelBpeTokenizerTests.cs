using System.Text.Json.Nodes;
using LoraBuild.Engine.Tokenizers;
using static LoraBuild.Engine.Tests.Tokenizers.TokenizerJsonFixtures;

namespace LoraBuild.Engine.Tests.Tokenizers;

public sealed class ByteLevelBpeTokenizerTests : IDisposable
{
    private readonly TemporaryModelDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private HuggingFaceTokenizer Load(string? splitPattern = null, bool mergesAsPairs = false)
    {
        _directory.WriteJson("tokenizer.json", ByteLevel(splitPattern, mergesAsPairs));
        return HuggingFaceTokenizer.Load(_directory.Path);
    }

    [Fact]
    public void EncodeAppliesMergesInRankOrderWithinEachWord()
    {
        var tokenizer = Load();

        // "hello": h+e (rank 1), l+l (3), he+ll (4), hell+o (5). " world": Ġ+w, o+r, Ġw+or, l+d, Ġwor+ld.
        Assert.Equal([Hello, SpaceWorld], tokenizer.Encode("hello world"));
        Assert.Equal(TokenizerKind.ByteLevelBpe, tokenizer.Kind);
    }

    [Fact]
    public void EncodeLowerRankMergeIsAppliedFirst()
    {
        var tokenizer = Load();

        // "the": no t+h merge, so t | he. " the": Ġ+t (rank 0) beats h+e (rank 1), then Ġt+he.
        Assert.Equal(['t', He, The], tokenizer.Encode("the the"));
    }

    [Fact]
    public void EncodeByteLevelPostProcessorAddsNoSpecialTokens()
    {
        var tokenizer = Load();

        Assert.Equal(tokenizer.Encode("hello", addSpecialTokens: false), tokenizer.Encode("hello", addSpecialTokens: true));
        Assert.Null(tokenizer.BosTokenId);
    }

    [Fact]
    public void EncodeSpecialTokensInTextStayWholeIds()
    {
        var tokenizer = Load();

        Assert.Equal(
            [ImStart, 'u', 's', 'e', 'r', '\n', Hello, ImEnd],
            tokenizer.Encode("<|im_start|>user\nhello<|im_end|>"));
        Assert.Equal([Hello, EndOfText, Hello], tokenizer.Encode("hello<|endoftext|>hello"));
    }

    [Fact]
    public void EncodePartOfASpecialTokenIsOrdinaryText()
    {
        var tokenizer = Load();

        Assert.Equal(['<', '|', 'i', 'm', '_'], tokenizer.Encode("<|im_"));
    }

    [Fact]
    public void EncodeSplitRegexFromFileReplacesTheGpt2Pattern()
    {
        var gpt2 = Load();
        var llama3 = Load(Llama3Pattern);

        // GPT-2 keeps "1234" as one word: 1+2 then 3+4. Llama 3 cuts digits in threes: "123" | "4".
        Assert.Equal([OneTwo, ThreeFour], gpt2.Encode("1234"));
        Assert.Equal([OneTwo, '3', '4'], llama3.Encode("1234"));
        Assert.Equal([Hello, SpaceWorld], llama3.Encode("hello world"));
    }

    [Fact]
    public void EncodeIndividualDigitsPreTokenizerKeepsDigitsApart()
    {
        // SmolLM: Sequence [Digits(individual_digits), ByteLevel(use_regex)]; the 1+2 and 3+4 merges never apply.
        var json = ByteLevel();
        json["pre_tokenizer"] = new JsonObject
        {
            ["type"] = "Sequence",
            ["pretokenizers"] = new JsonArray(
                new JsonObject { ["type"] = "Digits", ["individual_digits"] = true },
                new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = true }),
        };
        _directory.WriteJson("tokenizer.json", json);

        var tokenizer = HuggingFaceTokenizer.Load(_directory.Path);

        Assert.Equal(['1', '2', '3', '4'], tokenizer.Encode("1234"));
        Assert.Equal([Hello, SpaceWorld, ' ', '4', '2'], tokenizer.Encode("hello world 42"));
    }

    [Fact]
    public void EncodeIgnoreMergesTakesAWholeWordFromTheVocabulary()
    {
        // "xyz" is in the vocabulary but no merge builds it.
        var json = ByteLevel();
        json["model"]!["vocab"]!["xyz"] = ImEnd + 1;
        _directory.WriteJson("tokenizer.json", json);
        Assert.Equal(['x', 'y', 'z'], HuggingFaceTokenizer.Load(_directory.Path).Encode("xyz"));

        json["model"]!["ignore_merges"] = true;
        _directory.WriteJson("tokenizer.json", json);
        var tokenizer = HuggingFaceTokenizer.Load(_directory.Path);
        Assert.Equal([ImEnd + 1], tokenizer.Encode("xyz"));
        Assert.Equal([Hello, ' ', 'x', 'y', 'z'], tokenizer.Encode("hello xyz")); // "Ġxyz" is not in the vocabulary
    }

    [Fact]
    public void EncodeLeftStripAddedTokenSwallowsTheSpaceBeforeIt()
    {
        var json = ByteLevel();
        var mask = Added(ImEnd + 1, "<mask>");
        json["added_tokens"]!.AsArray().Add(mask);
        _directory.WriteJson("tokenizer.json", json);
        Assert.Equal([Hello, ' ', ImEnd + 1], HuggingFaceTokenizer.Load(_directory.Path).Encode("hello <mask>"));

        mask["lstrip"] = true;
        _directory.WriteJson("tokenizer.json", json);
        Assert.Equal([Hello, ImEnd + 1], HuggingFaceTokenizer.Load(_directory.Path).Encode("hello <mask>"));
    }

    [Fact]
    public void LoadMergesWrittenAsPairsEncodeLikeMergesWrittenAsStrings()
    {
        var pairs = Load(mergesAsPairs: true);

        Assert.Equal(['t', He, The, SpaceWorld], pairs.Encode("the the world"));
    }

    [Theory]
    [InlineData("hello world")]
    [InlineData("Héllo, wörld! Ça va? Ångström")]
    [InlineData("emoji 😀👍🏽 and 你好世界")]
    [InlineData("  leading,   multiple   and trailing spaces  ")]
    [InlineData("line one\nline two\r\n\n\tindented")]
    [InlineData("")]
    public void DecodeRoundTripsEncode(string text)
    {
        var tokenizer = Load();

        Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
    }

    [Fact]
    public void DecodeSkipsSpecialTokensOnlyWhenAsked()
    {
        var tokenizer = Load();
        int[] ids = [ImStart, Hello, ImEnd];

        Assert.Equal("hello", tokenizer.Decode(ids));
        Assert.Equal("<|im_start|>hello<|im_end|>", tokenizer.Decode(ids, skipSpecialTokens: false));
        Assert.True(tokenizer.IsSpecialToken(ImEnd));
        Assert.False(tokenizer.IsSpecialToken(Hello));
    }

    [Fact]
    public void DecodeIgnoresIdsOutsideTheVocabulary()
    {
        var tokenizer = Load();

        Assert.Equal("hello", tokenizer.Decode([Hello, 100_000, -1]));
    }

    [Fact]
    public void VocabularyMapsTokensAndIdsBothWays()
    {
        var tokenizer = Load();

        Assert.Equal(SpaceWorld, tokenizer.TokenToId("Ġworld"));
        Assert.Equal("Ġworld", tokenizer.IdToToken(SpaceWorld));
        Assert.Equal(ImStart, tokenizer.TokenToId("<|im_start|>"));
        Assert.Equal("<|im_end|>", tokenizer.IdToToken(ImEnd));
        Assert.Null(tokenizer.TokenToId("not a token"));
        Assert.Null(tokenizer.IdToToken(ImEnd + 1));
        Assert.Equal(ImEnd + 1, tokenizer.VocabularySize);
    }
}
