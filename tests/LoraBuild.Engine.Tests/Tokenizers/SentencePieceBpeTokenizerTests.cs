using System.Text.Json.Nodes;
using LoraBuild.Engine.Tokenizers;
using static LoraBuild.Engine.Tests.Tokenizers.TokenizerJsonFixtures;

namespace LoraBuild.Engine.Tests.Tokenizers;

public sealed class SentencePieceBpeTokenizerTests : IDisposable
{
    private readonly TemporaryModelDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private HuggingFaceTokenizer Load(JsonObject? tokenizerJson = null)
    {
        _directory.WriteJson("tokenizer.json", tokenizerJson ?? SentencePiece());
        return HuggingFaceTokenizer.Load(_directory.Path);
    }

    [Fact]
    public void EncodePrependsMetaspaceMergesAndAddsBos()
    {
        var tokenizer = Load();

        // "▁hello▁world" is one word: ▁+h, l+l, ▁h+e, ▁he+ll, ▁hell+o, then ▁+w, o+r, ▁w+or, l+d, ▁wor+ld.
        Assert.Equal([Bos, SpaceHello, SpaceWorldPiece], tokenizer.Encode("hello world"));
        Assert.Equal([SpaceHello, SpaceWorldPiece], tokenizer.Encode("hello world", addSpecialTokens: false));
        Assert.Equal(TokenizerKind.SentencePieceBpe, tokenizer.Kind);
        Assert.Equal(Bos, tokenizer.BosTokenId);
        Assert.Equal(Unk, tokenizer.UnknownTokenId);
    }

    [Fact]
    public void EncodeUnknownCharactersFallBackToUtf8ByteTokens()
    {
        var tokenizer = Load();

        // é = C3 A9 is not in the vocabulary and blocks ▁h+e; l+l still merges.
        Assert.Equal(
            [SpaceH, ByteToken(0xC3), ByteToken(0xA9), Ll, O],
            tokenizer.Encode("héllo", addSpecialTokens: false));
        Assert.Equal(
            [Metaspace, ByteToken(0xF0), ByteToken(0x9F), ByteToken(0x98), ByteToken(0x80)],
            tokenizer.Encode("😀", addSpecialTokens: false));
        Assert.Equal(
            [Metaspace, ByteToken(0xE4), ByteToken(0xBD), ByteToken(0xA0), ByteToken(0xE5), ByteToken(0xA5), ByteToken(0xBD)],
            tokenizer.Encode("你好", addSpecialTokens: false));
    }

    [Fact]
    public void EncodeWithoutByteFallbackUsesTheUnknownTokenFusedWhenAsked()
    {
        var fused = SentencePiece();
        fused["model"]!["byte_fallback"] = false;
        var separate = SentencePiece();
        separate["model"]!["byte_fallback"] = false;
        separate["model"]!["fuse_unk"] = false;

        Assert.Equal([SpaceH, Unk], Load(fused).Encode("hé😀", addSpecialTokens: false));
        Assert.Equal([SpaceH, Unk, Unk], Load(separate).Encode("hé😀", addSpecialTokens: false));
    }

    [Fact]
    public void EncodeSpecialTokensInTextStayWholeIds()
    {
        var tokenizer = Load();

        Assert.Equal([Bos, SpaceHello, Eos], tokenizer.Encode("hello</s>"));
        Assert.Equal([Bos, Bos, SpaceHello], tokenizer.Encode("<s>hello"));
    }

    [Fact]
    public void LoadMergesWrittenAsPairsEncodeLikeMergesWrittenAsStrings()
    {
        var tokenizer = Load(SentencePiece(mergesAsPairs: true));

        Assert.Equal([Bos, SpaceHello, SpaceWorldPiece], tokenizer.Encode("hello world"));
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
    public void DecodeStripsOnlyTheSpaceTheNormalizerPrepended()
    {
        var tokenizer = Load();

        Assert.Equal("hello world", tokenizer.Decode([Bos, SpaceHello, SpaceWorldPiece]));
        Assert.Equal("<s> hello", tokenizer.Decode([Bos, SpaceHello], skipSpecialTokens: false));
    }

    [Fact]
    public void EncodeMetaspacePreTokenizerWithFirstSchemePrependsOnlyAtTheStartOfTheInput()
    {
        var json = SentencePiece();
        json["normalizer"] = null;
        json["pre_tokenizer"] = new JsonObject { ["type"] = "Metaspace", ["replacement"] = "▁", ["prepend_scheme"] = "first", ["split"] = true };
        json["decoder"] = new JsonObject { ["type"] = "Metaspace", ["replacement"] = "▁", ["prepend_scheme"] = "first", ["split"] = true };
        var tokenizer = Load(json);

        Assert.Equal([Bos, SpaceHello, SpaceWorldPiece], tokenizer.Encode("hello world"));

        // After "<s>" the text does not start the input, so no "▁" is prepended: h | e | l+l | o.
        Assert.Equal([Bos, 260, 261, Ll, O], tokenizer.Encode("<s>hello", addSpecialTokens: false));
        Assert.Equal("hello world", tokenizer.Decode([Bos, SpaceHello, SpaceWorldPiece]));
    }
}
