using System.Text;
using LoraBuild.Engine.Tokenizers;
using static LoraBuild.Engine.Tests.Tokenizers.TokenizerJsonFixtures;

namespace LoraBuild.Engine.Tests.Tokenizers;

public sealed class IncrementalDecoderTests : IDisposable
{
    private readonly TemporaryModelDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private HuggingFaceTokenizer LoadByteLevel()
    {
        _directory.WriteJson("tokenizer.json", ByteLevel());
        return HuggingFaceTokenizer.Load(_directory.Path);
    }

    [Fact]
    public void GetNewTextHoldsBackTheFirstByteOfATwoByteCharacter()
    {
        var tokenizer = LoadByteLevel();
        var decoder = tokenizer.CreateIncrementalDecoder();

        // Byte-level ids are the byte values here: é = C3 A9.
        Assert.Equal("hello", decoder.GetNewText([Hello]));
        Assert.Equal(string.Empty, decoder.GetNewText([Hello, 0xC3]));
        Assert.Equal("é", decoder.GetNewText([Hello, 0xC3, 0xA9]));
        Assert.Equal(" world", decoder.GetNewText([Hello, 0xC3, 0xA9, SpaceWorld]));
        Assert.Equal(string.Empty, decoder.Flush());
    }

    [Fact]
    public void GetNewTextStreamsSentencePieceBytesAndStripsTheLeadingSpaceOnce()
    {
        _directory.WriteJson("tokenizer.json", SentencePiece());
        var tokenizer = HuggingFaceTokenizer.Load(_directory.Path);
        const string Text = "hello 😀 world";
        var ids = tokenizer.Encode(Text);
        var decoder = tokenizer.CreateIncrementalDecoder();
        var chunks = new List<string>();

        for (int count = 1; count <= ids.Count; count++)
        {
            chunks.Add(decoder.GetNewText(ids.Take(count).ToList()));
        }

        chunks.Add(decoder.Flush());
        Assert.Equal(Text, string.Concat(chunks));
        Assert.Equal(tokenizer.Decode(ids), string.Concat(chunks));
        Assert.All(chunks, chunk => Assert.True(IsWellFormed(chunk), $"chunk '{chunk}' has a broken character"));
        // A run of byte tokens comes out when the run ends (its bytes decide together whether they are valid UTF-8).
        Assert.Contains(chunks, chunk => chunk.StartsWith("😀", StringComparison.Ordinal));
    }

    [Fact]
    public void AppendTokenSkipsSpecialTokens()
    {
        var tokenizer = LoadByteLevel();
        var decoder = tokenizer.CreateIncrementalDecoder();

        string text = decoder.AppendToken(ImStart) + decoder.AppendToken(Hello) + decoder.AppendToken(ImEnd);

        Assert.Equal("hello", text);
        Assert.Equal(3, decoder.TokenCount);
    }

    [Fact]
    public void FlushTurnsACutShortCharacterIntoAReplacementCharacter()
    {
        var tokenizer = LoadByteLevel();
        var decoder = tokenizer.CreateIncrementalDecoder();

        Assert.Equal(string.Empty, decoder.GetNewText([0xE4, 0xBD]));
        Assert.Equal("\uFFFD", decoder.Flush());
        Assert.Equal("\uFFFD", tokenizer.Decode([0xE4, 0xBD]));
    }

    [Fact]
    public void GetNewTextRejectsFewerIdsThanAlreadyDecoded()
    {
        var tokenizer = LoadByteLevel();
        var decoder = tokenizer.CreateIncrementalDecoder();
        decoder.GetNewText([Hello, SpaceWorld]);

        Assert.Throws<ArgumentException>(() => decoder.GetNewText([Hello]));
    }

    private static bool IsWellFormed(string text) =>
        !text.Contains('\uFFFD', StringComparison.Ordinal) && Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text)) == text;
}
