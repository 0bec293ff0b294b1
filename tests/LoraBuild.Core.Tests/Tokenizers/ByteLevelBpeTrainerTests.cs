using System.Text.Json;
using LoraBuild.Core.Tokenizers;

namespace LoraBuild.Core.Tests.Tokenizers;

public class ByteLevelBpeTrainerTests
{
    [Fact]
    public void MergesTheMostFrequentPairsInOrder()
    {
        // Words: "ab" ×1, " ab" ×2 ("Ġab" in the byte alphabet), "abc" ×1.
        // Pairs: (a,b)=4 → merge first; then (Ġ,ab)=2 beats (ab,c)=1.
        var vocabulary = ByteLevelBpeTrainer.Train(["ab ab ab", "abc"], 256 + 2 + 1, ["<|endoftext|>"]);

        Assert.Equal([("a", "b"), ("Ġ", "ab")], vocabulary.Merges);
        Assert.Equal("ab", vocabulary.Tokens[256]);
        Assert.Equal("Ġab", vocabulary.Tokens[257]);
        Assert.Equal(258, vocabulary.IdOf("<|endoftext|>"));
    }

    [Fact]
    public void StopsWhenNoPairIsLeft()
    {
        var vocabulary = ByteLevelBpeTrainer.Train(["xy"], 400, []);

        Assert.Equal([("x", "y")], vocabulary.Merges);
        Assert.Equal(257, vocabulary.Tokens.Count);
    }

    [Fact]
    public void TiesGoToTheOrdinallySmallestPair()
    {
        var vocabulary = ByteLevelBpeTrainer.Train(["cd", "ab"], 257, []);

        Assert.Equal([("a", "b")], vocabulary.Merges);
    }

    [Fact]
    public void TheByteAlphabetMatchesGpt2()
    {
        Assert.Equal('Ġ', ByteLevelAlphabet.ForByte((byte)' '));
        Assert.Equal('Ċ', ByteLevelAlphabet.ForByte((byte)'\n'));
        Assert.Equal('A', ByteLevelAlphabet.ForByte((byte)'A'));
        Assert.Equal(256, Enumerable.Range(0, 256).Select(b => ByteLevelAlphabet.ForByte((byte)b)).Distinct().Count());
    }

    [Fact]
    public void TokenizerJsonIsHuggingFaceShapedAndDeterministic()
    {
        string[] corpus = ["the order 123 was late", "the order 456 arrived"];
        var first = TokenizerJsonWriter.Write(ByteLevelBpeTrainer.Train(corpus, 300, ["<|endoftext|>", "<|pad|>"]));
        var second = TokenizerJsonWriter.Write(ByteLevelBpeTrainer.Train(corpus, 300, ["<|endoftext|>", "<|pad|>"]));

        Assert.Equal(first, second);
        using var document = JsonDocument.Parse(first);
        var model = document.RootElement.GetProperty("model");
        Assert.Equal("BPE", model.GetProperty("type").GetString());
        Assert.Equal(33, model.GetProperty("vocab").GetProperty("!").GetInt32()); // ids 0-255 are the byte values
        Assert.Equal(0, model.GetProperty("vocab").GetProperty("Ā").GetInt32());
        var added = document.RootElement.GetProperty("added_tokens");
        Assert.Equal("<|endoftext|>", added[0].GetProperty("content").GetString());
        Assert.True(added[0].GetProperty("special").GetBoolean());
        Assert.Equal("ByteLevel", document.RootElement.GetProperty("pre_tokenizer").GetProperty("type").GetString());
        Assert.Equal(model.GetProperty("merges").GetArrayLength() + 256, model.GetProperty("vocab").EnumerateObject().Count());
    }

    [Fact]
    public void SplitDigitsCutsEveryDigitOutBeforeTheGpt2Pattern()
    {
        Assert.Equal(["order", " ", "4", "8", "\"", "1"], ByteLevelBpeTrainer.PreTokenize("order 48\"1", splitDigits: true));
        Assert.Equal(["order", " 48"], ByteLevelBpeTrainer.PreTokenize("order 48", splitDigits: false));
    }
}
