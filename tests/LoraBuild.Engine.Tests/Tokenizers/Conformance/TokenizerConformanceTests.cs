using System.Diagnostics;
using System.Globalization;
using System.Text;
using Xunit.Abstractions;

namespace LoraBuild.Engine.Tests.Tokenizers.Conformance;

/// <summary>
/// The engine's tokenizer against Hugging Face's Rust tokenizers on the real Llama 2, Llama 3, Qwen 3 and Gemma 3
/// files, string by string over build/tokenizers/corpus.json. The reference answers come from
/// build/tokenizers/reference.mjs (<c>dotnet cake --target=TokenizerReference</c>, which UnitTest runs first); when
/// they are missing or stale these tests fail and say so. Each test writes its counts, timings and every mismatch to
/// the test output.
/// </summary>
public sealed class TokenizerConformanceTests(ITestOutputHelper output)
{
    /// <summary>Strings that are not well-formed UTF-16. The Rust reference cannot hold them (the Node binding turns
    /// each lone surrogate into U+FFFD), so they are not in the corpus; the engine must still not throw on them.</summary>
    private static readonly string[] s_loneSurrogates = ["\uD800", "\uDFFF", "a\uD800b", "x\uDC00", "\uDBFF\uDBFF", "\uD83D", "😀\uDE00", "\uDE00😀", "<s>\uD800</s>", "\uD800 \uD800\n"];

    public static TheoryData<string> Tokenizers()
    {
        var data = new TheoryData<string>();
        foreach (var name in ConformanceReference.TokenizerNames)
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Tokenizers))]
    public void EncodeWithSpecialTokensMatchesRust(string tokenizer) => CheckEncode(tokenizer, addSpecialTokens: true);

    [Theory]
    [MemberData(nameof(Tokenizers))]
    public void EncodeWithoutSpecialTokensMatchesRust(string tokenizer) => CheckEncode(tokenizer, addSpecialTokens: false);

    [Theory]
    [MemberData(nameof(Tokenizers))]
    public void DecodeMatchesRust(string tokenizer)
    {
        var run = EngineRun.For(tokenizer);
        var report = new ConformanceReport(tokenizer, "decode (the Rust ids, special tokens kept and skipped, clean-up as tokenizer_config.json says)", output);
        report.Note($"clean_up_tokenization_spaces: {run.Reference.CleanUpTokenizationSpaces}");
        var watch = Stopwatch.StartNew();
        foreach (var reference in run.Reference.Cases)
        {
            if (reference.Ids is null || reference.IdsNoSpecial is null || reference.Decode is null || reference.DecodeNoSpecial is null)
            {
                continue;
            }

            var entry = run.Corpus[reference.Index];
            report.Checked();
            var details = new List<string>();
            Compare("ids with special tokens, skip=false", reference.Ids, skip: false, reference.Decode.ExpectedKeep);
            Compare("ids with special tokens, skip=true", reference.Ids, skip: true, reference.Decode.ExpectedSkip);
            Compare("ids without special tokens, skip=false", reference.IdsNoSpecial, skip: false, reference.DecodeNoSpecial.ExpectedKeep);
            Compare("ids without special tokens, skip=true", reference.IdsNoSpecial, skip: true, reference.DecodeNoSpecial.ExpectedSkip);
            if (details.Count > 0)
            {
                report.Add(reference.Index, entry, string.Join("; ", details));
            }

            void Compare(string what, int[] ids, bool skip, string expected)
            {
                if (Decode(run, ids, skip, out string? ours) is { } error)
                {
                    details.Add($"{what}: threw {error}");
                }
                else if (ConformanceReport.CompareText(ours!, expected) is { } difference)
                {
                    details.Add($"{what}: {difference}");
                }
            }
        }

        report.Finish(watch.Elapsed);
    }

    [Theory]
    [MemberData(nameof(Tokenizers))]
    public void DecodeOfSingleIdsMatchesRust(string tokenizer)
    {
        var run = EngineRun.For(tokenizer);
        var report = new ConformanceReport(tokenizer, "decode of single ids (every added token, the first 300 ids, a sample of the rest)", output);
        var watch = Stopwatch.StartNew();
        foreach (var single in run.Reference.SingleIds)
        {
            CheckDecode(run, report, single.Id, new CorpusEntry("single-id", run.Tokenizer.IdToToken(single.Id) ?? "?"), [single.Id], single.ExpectedKeep, single.ExpectedSkip);
        }

        report.Finish(watch.Elapsed);
    }

    [Theory]
    [MemberData(nameof(Tokenizers))]
    public void DecodeOfIdSequencesMatchesRust(string tokenizer)
    {
        var run = EngineRun.For(tokenizer);
        var report = new ConformanceReport(tokenizer, "decode of id sequences a model may generate (invalid byte runs, random mixtures)", output);
        var watch = Stopwatch.StartNew();
        for (int index = 0; index < run.Reference.Sequences.Length; index++)
        {
            var sequence = run.Reference.Sequences[index];
            var entry = new CorpusEntry("id-sequence", "[" + string.Join(", ", sequence.Ids) + "]");
            CheckDecode(run, report, index, entry, sequence.Ids, sequence.ExpectedKeep, sequence.ExpectedSkip);
        }

        report.Finish(watch.Elapsed);
    }

    [Theory]
    [MemberData(nameof(Tokenizers))]
    public void NoInputThrows(string tokenizer)
    {
        var run = EngineRun.For(tokenizer);
        var report = new ConformanceReport(tokenizer, "no input throws (encode, decode of its own ids, lone surrogates, unknown ids)", output);
        var watch = Stopwatch.StartNew();
        for (int index = 0; index < run.Corpus.Count; index++)
        {
            var entry = run.Corpus[index];
            if (run.Encodings[index] is not { } encoding)
            {
                continue;
            }

            report.Checked();
            if (encoding.Error is { } error)
            {
                report.Add(index, entry, "encode threw " + Describe(error));
                continue;
            }

            foreach (bool skip in (bool[])[false, true])
            {
                if (Decode(run, encoding.Ids!, skip, out _) is { } decodeError)
                {
                    report.Add(index, entry, $"decode of its own ids (skip={skip}) threw {decodeError}");
                }
            }
        }

        if (run.Encodings.Count(encoding => encoding is null) is int unreached and > 0)
        {
            report.Note($"{unreached} strings not encoded within the {EngineRun.Budget.TotalSeconds:F0} s budget (see the encode tests)");
        }

        var tokenizerUnderTest = run.Tokenizer;
        for (int index = 0; index < s_loneSurrogates.Length; index++)
        {
            var entry = new CorpusEntry("lone-surrogate", s_loneSurrogates[index]);
            report.Checked();
            try
            {
                var ids = tokenizerUnderTest.Encode(entry.Text, addSpecialTokens: true);
                _ = tokenizerUnderTest.Encode(entry.Text, addSpecialTokens: false);
                _ = tokenizerUnderTest.Decode(ids, skipSpecialTokens: false);
                _ = tokenizerUnderTest.Decode(ids, skipSpecialTokens: true);
            }
#pragma warning disable CA1031 // Every exception is the finding.
            catch (Exception e)
#pragma warning restore CA1031
            {
                report.Add(index, entry, "threw " + Describe(e));
            }
        }

        report.Checked();
        int[] unknown = [-1, int.MinValue, int.MaxValue, tokenizerUnderTest.VocabularySize, tokenizerUnderTest.VocabularySize + 1000];
        if (Decode(run, unknown, skip: false, out _) is { } unknownError)
        {
            report.Add(-1, new CorpusEntry("unknown-ids", string.Join(",", unknown)), "decode threw " + unknownError);
        }

        report.Finish(watch.Elapsed);
    }

    [Fact]
    public void CorpusCoversWhatTheContractNames()
    {
        var corpus = ConformanceReference.Corpus;
        var strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        Assert.True(corpus.Count >= 300, $"The corpus has {corpus.Count} strings; the contract asks for at least 300.");
        string[] classes = ["empty", "spaces-only", "whitespace", "newlines", "digits", "punctuation", "code", "cjk", "rtl", "emoji", "combining", "astral", "noncharacters", "special-tokens", "long"];
        Assert.Empty(classes.Except(corpus.Select(entry => entry.Class)));
        Assert.Contains(corpus, entry => entry.Text.Length == 0);
        Assert.Contains(corpus, entry => entry.Text.Length >= 1000 && !entry.Text.Contains(' ', StringComparison.Ordinal));
        Assert.Contains(corpus, entry => entry.Text.Contains('\uFFFE', StringComparison.Ordinal));
        Assert.Contains(corpus, entry => entry.Text.Contains("\U0010FFFF", StringComparison.Ordinal));
        Assert.Contains(corpus, entry => entry.Text.Contains("\U0001D7D3", StringComparison.Ordinal)); // 𝟓
        Assert.Contains(corpus, entry => entry.Text.Contains("\U0001E900", StringComparison.Ordinal)); // Adlam 𞤀
        Assert.Contains(corpus, entry => entry.Text.Contains("👨‍👩‍👧‍👦", StringComparison.Ordinal));
        Assert.Contains(corpus, entry => entry.Text.Contains("e\u0301", StringComparison.Ordinal));
        foreach (var special in (string[])["<s>", "</s>", "<|begin_of_text|>", "<|eot_id|>", "<|im_start|>", "<|im_end|>", "<start_of_turn>", "<eos>", "<bos>"])
        {
            Assert.Contains(corpus, entry => entry.Text.Contains(special, StringComparison.Ordinal));
        }

        foreach (var entry in corpus)
        {
            _ = strict.GetByteCount(entry.Text); // throws on a lone surrogate
        }

        output.WriteLine(string.Join(", ", corpus.GroupBy(entry => entry.Class).Select(group => string.Create(CultureInfo.InvariantCulture, $"{group.Key} {group.Count()}"))));
    }

    private void CheckEncode(string tokenizer, bool addSpecialTokens)
    {
        var run = EngineRun.For(tokenizer);
        var report = new ConformanceReport(tokenizer, addSpecialTokens ? "encode with special tokens" : "encode without special tokens", output);
        report.Note(string.Create(CultureInfo.InvariantCulture,
            $"engine: load {run.LoadTime.TotalSeconds:F2} s, corpus encoded (both ways) in {run.EncodeTime.TotalSeconds:F2} s, budget {EngineRun.Budget.TotalSeconds:F0} s; reference: {run.Reference.Reference}, {run.Reference.Package}"));
        report.Note("slowest: " + string.Join(", ", run.Slowest(3).Select(item =>
            string.Create(CultureInfo.InvariantCulture, $"#{item.Index} ({run.Corpus[item.Index].Text.Length} chars) {item.Elapsed.TotalMilliseconds:F0} ms"))));
        if (run.Abandoned is int abandoned)
        {
            report.Note(string.Create(CultureInfo.InvariantCulture, $"the encoder was still on #{abandoned} {ConformanceReport.Show(run.Corpus[abandoned].Text)} when the budget ran out"));
        }

        foreach (var reference in run.Reference.Cases)
        {
            var entry = run.Corpus[reference.Index];
            report.Checked();
            var expected = addSpecialTokens ? reference.Ids : reference.IdsNoSpecial;
            if (expected is null)
            {
                report.Note($"#{reference.Index}: the reference itself failed: {reference.Error}");
                continue;
            }

            switch (run.Encodings[reference.Index])
            {
                case null:
                    report.Add(reference.Index, entry, string.Create(CultureInfo.InvariantCulture, $"not encoded: the {EngineRun.Budget.TotalSeconds:F0} s budget was spent before this string"));
                    break;
                case { Error: { } error }:
                    report.Add(reference.Index, entry, "threw " + Describe(error));
                    break;
                case var encoding:
                    var ours = addSpecialTokens ? encoding.Ids! : encoding.IdsNoSpecial!;
                    if (ConformanceReport.CompareIds(ours, expected) is { } difference)
                    {
                        report.Add(reference.Index, entry, difference);
                    }

                    break;
            }
        }

        report.Finish(run.EncodeTime);
    }

    private static void CheckDecode(EngineRun run, ConformanceReport report, int index, CorpusEntry entry, int[] ids, string expectedKeep, string expectedSkip)
    {
        report.Checked();
        var details = new List<string>();
        foreach (bool skip in (bool[])[false, true])
        {
            string expected = skip ? expectedSkip : expectedKeep;
            if (Decode(run, ids, skip, out string? ours) is { } error)
            {
                details.Add($"skip={skip}: threw {error}");
            }
            else if (ConformanceReport.CompareText(ours!, expected) is { } difference)
            {
                details.Add($"skip={skip}: {difference}");
            }
        }

        if (details.Count > 0)
        {
            report.Add(index, entry, string.Join("; ", details));
        }
    }

    private static string? Decode(EngineRun run, IEnumerable<int> ids, bool skip, out string? text)
    {
        try
        {
            text = run.Tokenizer.Decode(ids, skipSpecialTokens: skip);
            return null;
        }
#pragma warning disable CA1031 // Every exception is the finding.
        catch (Exception e)
#pragma warning restore CA1031
        {
            text = null;
            return Describe(e);
        }
    }

    private static string Describe(Exception error) => $"{error.GetType().Name}: {error.Message.ReplaceLineEndings(" ")}";
}
