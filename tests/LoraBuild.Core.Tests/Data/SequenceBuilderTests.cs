using LoraBuild.Core.Data;

namespace LoraBuild.Core.Tests.Data;

public class SequenceBuilderTests
{
    private const int Bos = 1;
    private const int Eos = 2;

    [Fact]
    public void LossCoversExactlyTheResponseAndEos()
    {
        var example = AlpacaTemplate.Render(new AlpacaRecord("Add.", "2 and 3", "5, of course", "t:1"));
        var prompt = AlpacaTemplate.Prompt("Add.", "2 and 3");

        var sequence = Assert.Single(Builder(maxLength: 1000).Build(example));

        Assert.Equal([Bos, .. Chars(prompt), .. Chars("5, of course"), Eos], sequence.InputIds);
        Assert.Equal([.. Enumerable.Repeat(false, 1 + prompt.Length), .. Enumerable.Repeat(true, "5, of course".Length + 1)], sequence.IsTarget);
        Assert.Equal([.. Chars("5, of course"), Eos], sequence.Labels().Where(label => label != TokenizedExample.IgnoreIndex));
        Assert.Equal(TokenizedExample.IgnoreIndex, sequence.Labels()[prompt.Length]);
        Assert.Equal("t:1", sequence.Source);
    }

    [Fact]
    public void ChatTargetsAreAssistantTurnsWithTheirStopMarkersAndNoExtraEos()
    {
        var example = ChatTemplates.ChatMl.Render(
            [new(ChatRole.System, "S"), new(ChatRole.User, "Hi"), new(ChatRole.Assistant, "Yo"), new(ChatRole.User, "?"), new(ChatRole.Assistant, "!")]);

        var sequence = Assert.Single(Builder(maxLength: 1000).Build(example));

        Assert.Equal([Bos, .. Chars(example.Text)], sequence.InputIds);
        Assert.Equal("Yo<|im_end|>!<|im_end|>", TargetText(sequence));
        Assert.False(sequence.IsTarget[^1]); // the newline after the last <|im_end|>
    }

    [Fact]
    public void BosIsNotAddedWhenTheTemplateWritesItOrTheTokenizerHasNone()
    {
        var llama3 = ChatTemplates.Llama3.Render([new(ChatRole.User, "Hi"), new(ChatRole.Assistant, "Yo")]);
        var alpaca = AlpacaTemplate.Render(new AlpacaRecord("a", "", "b", "t:1"));

        Assert.Equal(Chars(llama3.Text), Assert.Single(Builder(maxLength: 1000).Build(llama3)).InputIds);
        Assert.Equal([.. Chars(alpaca.Text), Eos], Assert.Single(Builder(maxLength: 1000, bos: null).Build(alpaca)).InputIds);
        Assert.Equal("Yo<|eot_id|>", TargetText(Assert.Single(Builder(maxLength: 1000).Build(llama3))));
    }

    [Fact]
    public void TrainOnPromptTargetsEverythingButTheFirstToken()
    {
        var example = AlpacaTemplate.Render(new AlpacaRecord("a", "", "b", "t:1")).WithEverySegmentTarget();

        var sequence = Assert.Single(Builder(maxLength: 1000, bos: null).Build(example));

        Assert.False(sequence.IsTarget[0]);
        Assert.All(sequence.IsTarget[1..], Assert.True);
        Assert.Equal(sequence.Length - 1, sequence.TargetCount);
    }

    [Fact]
    public void EmptyResponseStillLearnsEos()
    {
        var example = AlpacaTemplate.Render(new AlpacaRecord("Say nothing.", "", "", "t:1"));

        var sequence = Assert.Single(Builder(maxLength: 1000).Build(example));

        Assert.Equal(1, sequence.TargetCount);
        Assert.True(sequence.IsTarget[^1]);
        Assert.Equal(Eos, sequence.InputIds[^1]);
    }

    [Fact]
    public void SequenceThatFitsExactlyKeepsItsEos()
    {
        var example = Example("PPP", "TT");

        var sequence = Assert.Single(Builder(maxLength: 7).Build(example));

        Assert.Equal([Bos, 'P', 'P', 'P', 'T', 'T', Eos], sequence.InputIds);
        Assert.Equal([false, false, false, false, true, true, true], sequence.IsTarget);
    }

    [Fact]
    public void TruncationKeepsThePromptAndCutsTheEnd()
    {
        var sequence = Assert.Single(Builder(maxLength: 6).Build(Example("PPP", "TTTT")));

        Assert.Equal([Bos, 'P', 'P', 'P', 'T', 'T'], sequence.InputIds);
        Assert.Equal([false, false, false, false, true, true], sequence.IsTarget);
    }

    [Fact]
    public void TruncationLeavingOneTargetTokenKeepsTheExample()
    {
        var sequence = Assert.Single(Builder(maxLength: 5).Build(Example("PPP", "TTTT")));

        Assert.Equal(1, sequence.TargetCount);
        Assert.True(sequence.IsTarget[^1]);
    }

    [Fact]
    public void TruncationLeavingNoTargetDropsTheExampleAndCountsIt()
    {
        var builder = Builder(maxLength: 4);
        var tooLong = Example("PPP", "TTTT") with { Source = "train.jsonl:8" };

        Assert.Empty(builder.Build(tooLong));
        var result = builder.BuildAll([Example("P", "T"), tooLong, Example("PP", "T")]);

        Assert.Equal(2, result.Examples.Count);
        Assert.Equal(1, result.DroppedCount);
        Assert.Equal(["train.jsonl:8"], result.DroppedSources);
    }

    [Fact]
    public void DroppingEveryExampleIsAnError()
    {
        var builder = Builder(maxLength: 3);

        var exception = LoraAssert.Throws(
            DataErrorCodes.NoExampleFits,
            "a.jsonl:1",
            () => builder.BuildAll([Example("PPPP", "T") with { Source = "a.jsonl:1" }, Example("PPPPP", "T") with { Source = "a.jsonl:2" }]));
        Assert.Contains("3 tokens", exception.Message, StringComparison.Ordinal);
        Assert.Empty(builder.BuildAll([]).Examples);
    }

    [Fact]
    public void LongDocumentIsSplitIntoOverlappingChunksInsteadOfTruncated()
    {
        var document = new TrainingExample([new Segment("abcdefghij", IsTarget: true)]) { SplitWhenTooLong = true };
        int[] full = [Bos, .. Chars("abcdefghij"), Eos];

        var chunks = Builder(maxLength: 5).Build(document);

        Assert.Equal([full[0..5], full[4..9], full[8..12]], chunks.Select(chunk => chunk.InputIds));
        Assert.All(chunks, chunk => Assert.Equal([false, .. Enumerable.Repeat(true, chunk.Length - 1)], chunk.IsTarget));
        Assert.Equal(full[1..], chunks.SelectMany(chunk => chunk.Labels().Where(label => label != TokenizedExample.IgnoreIndex)));
    }

    [Theory]
    [InlineData(9, 5, new[] { 5, 5 })]
    [InlineData(10, 5, new[] { 5, 5, 2 })]
    [InlineData(12, 12, new[] { 12 })]
    [InlineData(13, 12, new[] { 12, 2 })]
    [InlineData(7, 2, new[] { 2, 2, 2, 2, 2, 2 })]
    public void ChunksCoverEveryTokenAndNeverCarryNoTarget(int tokens, int maxLength, int[] expectedLengths)
    {
        // bos + (tokens - 2) characters + eos
        var document = new TrainingExample([new Segment(new string('x', tokens - 2), IsTarget: true)]) { SplitWhenTooLong = true };

        var chunks = Builder(maxLength).Build(document);

        Assert.Equal(expectedLengths, chunks.Select(chunk => chunk.Length));
        Assert.Equal(tokens - 1, chunks.Sum(chunk => chunk.TargetCount));
    }

    [Fact]
    public void OnlyDocumentsAreSplit()
    {
        var sequences = Builder(maxLength: 5).Build(new TrainingExample([new Segment("abcdefghij", IsTarget: true)]));

        Assert.Equal([Bos, 'a', 'b', 'c', 'd'], Assert.Single(sequences).InputIds);
    }

    [Fact]
    public void TheJoinedTextIsEncodedOnceAndEachBoundaryAsItsPrefix()
    {
        var calls = new List<string>();
        var builder = new SequenceBuilder(
            text =>
            {
                calls.Add(text);
                return Chars(text);
            },
            Bos,
            Eos,
            maxSequenceLength: 100);

        builder.Build(ChatTemplates.Zephyr.Render([new(ChatRole.User, "u"), new(ChatRole.Assistant, "a")]));

        Assert.Equal(["<|user|>\nu</s>\n<|assistant|>\na</s>\n", "<|user|>\nu</s>\n<|assistant|>\n", "<|user|>\nu</s>\n<|assistant|>\na</s>"], calls);
    }

    [Fact]
    public void ATokenMergedAcrossABoundaryIsATarget()
    {
        // "xy" is one token, so the boundary between prompt "ax" and target "yb" falls inside it.
        var builder = new SequenceBuilder(text => [.. text.Replace("xy", "\u00FF", StringComparison.Ordinal).Select(c => (int)c)], bosId: null, Eos, maxSequenceLength: 100);

        var sequence = Assert.Single(builder.Build(Example("ax", "yb")));

        Assert.Equal([(int)'a', 0xFF, (int)'b', Eos], sequence.InputIds);
        Assert.Equal([false, true, true, true], sequence.IsTarget);
    }

    [Fact]
    public void ASentencePieceStyleTargetHasTheIdsOfTheJoinedText()
    {
        // Like a Llama 2 tokenizer: '▁' before the text and for every space, one token per word with its '▁'.
        static IReadOnlyList<int> Encode(string text) =>
            [.. ("▁" + text.Replace(' ', '▁')).Split('▁', StringSplitOptions.None).Skip(1).Select(word => ("▁" + word).GetHashCode(StringComparison.Ordinal))];
        var builder = new SequenceBuilder(Encode, bosId: null, Eos, maxSequenceLength: 100);

        var sequence = Assert.Single(builder.Build(Example("[INST] Capital? [/INST]", " Paris")));

        Assert.Equal([.. Encode("[INST] Capital? [/INST] Paris"), Eos], sequence.InputIds);
        Assert.Equal(Encode("[INST] Capital? [/INST]").Count, Array.IndexOf(sequence.IsTarget, true));
        Assert.Equal("▁Paris".GetHashCode(StringComparison.Ordinal), sequence.InputIds[Array.IndexOf(sequence.IsTarget, true)]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    [InlineData(-4)]
    public void MaximumLengthBelowTwoIsRejected(int maxLength)
    {
        LoraAssert.Throws(DataErrorCodes.DataSettingInvalid, null, () => Builder(maxLength));
    }

    private static TrainingExample Example(string prompt, string target) =>
        new([new Segment(prompt, IsTarget: false), new Segment(target, IsTarget: true)]);

    private static SequenceBuilder Builder(int maxLength, int? bos = Bos) => new(Chars, bos, Eos, maxLength);

    private static int[] Chars(string text) => [.. text.Select(c => (int)c)];

    private static string TargetText(TokenizedExample sequence) =>
        new([.. sequence.InputIds.Where((_, i) => sequence.IsTarget[i]).Select(id => (char)id)]);
}
