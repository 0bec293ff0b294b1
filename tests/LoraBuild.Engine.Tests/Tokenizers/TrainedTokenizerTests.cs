using LoraBuild.Core.Tokenizers;
using LoraBuild.Engine.Tokenizers;

namespace LoraBuild.Engine.Tests.Tokenizers;

/// <summary>The tokenizer.json that LoraBuild's own trainer writes loads back with the merges it learned.</summary>
public sealed class TrainedTokenizerTests : IDisposable
{
    private readonly TemporaryModelDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void TrainerOutputEncodesWithItsMergesAndRoundTrips()
    {
        // Merges learned: a+b (id 256), then Ġ+ab (id 257); <|endoftext|> is 258.
        var vocabulary = ByteLevelBpeTrainer.Train(["ab ab ab", "abc"], 256 + 2 + 1, ["<|endoftext|>"]);
        _directory.WriteText("tokenizer.json", TokenizerJsonWriter.Write(vocabulary));

        var tokenizer = HuggingFaceTokenizer.Load(_directory.Path);

        Assert.Equal([256, 257, 'c', 258], tokenizer.Encode("ab abc<|endoftext|>"));
        const string Text = "Héllo wörld 😀\n  ab\tabc";
        Assert.Equal(Text, tokenizer.Decode(tokenizer.Encode(Text)));
    }

    [Fact]
    public void WithSplitDigitsANumberIsTheSameDigitTokensWhateverPrecedesIt()
    {
        string[] corpus = ["order 48110 arrived", "order 48110 refund", "\"48110\" is the order 2024"];
        var vocabulary = ByteLevelBpeTrainer.Train(corpus, 300, ["</s>"], splitDigits: true);
        _directory.WriteText("tokenizer.json", TokenizerJsonWriter.Write(vocabulary));

        var tokenizer = HuggingFaceTokenizer.Load(_directory.Path);

        var digits = "48110".Select(digit => vocabulary.IdOf(digit.ToString())).ToArray();
        Assert.Equal(digits, tokenizer.Encode("order 48110").TakeLast(5));
        Assert.Equal(digits, tokenizer.Encode("\"48110").TakeLast(5));
        Assert.DoesNotContain(vocabulary.Tokens, token => token.Length > 1 && token.Any(char.IsDigit));
        const string Text = "order 48110, \"48110\" 12 ab";
        Assert.Equal(Text, tokenizer.Decode(tokenizer.Encode(Text)));
    }
}
