using LoraBuild.Engine.Tokenizers;

namespace LoraBuild.Engine.Tests.Tokenizers;

public sealed class SentencePieceModelTests : IDisposable
{
    // <unk> 0, <s> 1, </s> 2, <0x00>..<0xFF> 3..258, then the pieces below from 259.
    private const int SpaceH = 264;
    private const int Ll = 265;
    private const int SpaceHello = 268;
    private const int O = 263;

    private readonly TemporaryModelDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private HuggingFaceTokenizer Load()
    {
        var pieces = new List<(string, float, int)>
        {
            ("<unk>", 0, SentencePieceModelWriter.Unknown),
            ("<s>", 0, SentencePieceModelWriter.Control),
            ("</s>", 0, SentencePieceModelWriter.Control),
        };
        for (int b = 0; b < 256; b++)
        {
            pieces.Add(($"<0x{b:X2}>", 0, SentencePieceModelWriter.Byte));
        }

        // Single characters score lowest; among merged pieces a higher score merges first.
        pieces.AddRange(
        [
            ("▁", -100, SentencePieceModelWriter.Normal),
            ("h", -101, SentencePieceModelWriter.Normal),
            ("e", -102, SentencePieceModelWriter.Normal),
            ("l", -103, SentencePieceModelWriter.Normal),
            ("o", -104, SentencePieceModelWriter.Normal),
            ("▁h", -1, SentencePieceModelWriter.Normal),
            ("ll", -2, SentencePieceModelWriter.Normal),
            ("▁he", -3, SentencePieceModelWriter.Normal),
            ("▁hell", -4, SentencePieceModelWriter.Normal),
            ("▁hello", -5, SentencePieceModelWriter.Normal),
        ]);
        _directory.WriteBytes("tokenizer.model", SentencePieceModelWriter.Write(pieces, byteFallback: true));
        return HuggingFaceTokenizer.Load(_directory.Path);
    }

    [Fact]
    public void LoadReadsAHandWrittenModelAndItsSpecialTokens()
    {
        var tokenizer = Load();

        Assert.Equal(TokenizerKind.SentencePieceModel, tokenizer.Kind);
        Assert.Equal(1, tokenizer.BosTokenId);
        Assert.Equal(2, tokenizer.EosTokenId);
        Assert.Equal(0, tokenizer.UnknownTokenId);
        Assert.Equal(SpaceHello + 1, tokenizer.VocabularySize);
    }

    [Fact]
    public void EncodeMergesByScoreAndAddsBos()
    {
        var tokenizer = Load();

        // ▁+h (-1), l+l (-2), ▁h+e (-3), ▁he+ll (-4), ▁hell+o (-5).
        Assert.Equal([1, SpaceHello], tokenizer.Encode("hello"));
        Assert.Equal([SpaceHello, 2], tokenizer.Encode("hello</s>", addSpecialTokens: false));
    }

    [Fact]
    public void EncodeFallsBackToBytesForUnknownCharacters()
    {
        var tokenizer = Load();

        Assert.Equal([SpaceH, 3 + 0xC3, 3 + 0xA9, Ll, O], tokenizer.Encode("héllo", addSpecialTokens: false));
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("héllo wörld 😀 你好")]
    [InlineData("two  spaces\nand a newline")]
    public void DecodeRoundTripsEncode(string text)
    {
        var tokenizer = Load();

        Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
    }
}
