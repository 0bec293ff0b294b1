using System.Collections.Concurrent;
using System.Diagnostics;
using LoraBuild.Engine.Tokenizers;

namespace LoraBuild.Engine.Tests.Tokenizers.Conformance;

/// <summary>The engine's encoding of one corpus string: the ids with and without special tokens, or what it threw.</summary>
internal sealed record EngineEncoding(int[]? Ids, int[]? IdsNoSpecial, Exception? Error, TimeSpan Elapsed);

/// <summary>
/// The engine's tokenizer loaded from the real files and its encoding of the whole corpus, made once per tokenizer and
/// shared by the tests. The corpus is encoded on a thread of its own under a time budget (Llama 2's merge loop is
/// quadratic without a pre-tokenizer): strings the budget does not reach, or the one a stuck encoder is still on,
/// are reported, not waited for.
/// </summary>
internal sealed class EngineRun
{
    /// <summary>Seconds all encodes of one tokenizer may take together; LORABUILD_CONFORMANCE_BUDGET_S overrides.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("LORABUILD_CONFORMANCE_BUDGET_S"), out int seconds) && seconds > 0 ? seconds : 120);

    private static readonly ConcurrentDictionary<string, Lazy<EngineRun>> s_runs = new();

    private EngineRun(string name)
    {
        Name = name;
        Corpus = ConformanceReference.Corpus;
        Reference = ConformanceReference.Load(name);
        var load = Stopwatch.StartNew();
        Tokenizer = HuggingFaceTokenizer.Load(ConformanceReference.ModelFolder(name));
        LoadTime = load.Elapsed;
        (Encodings, EncodeTime, Abandoned) = EncodeCorpus(Tokenizer, Corpus);
    }

    public string Name { get; }

    public IReadOnlyList<CorpusEntry> Corpus { get; }

    public ReferenceFile Reference { get; }

    public HuggingFaceTokenizer Tokenizer { get; }

    public TimeSpan LoadTime { get; }

    public TimeSpan EncodeTime { get; }

    /// <summary>One entry per corpus string; null where the budget ran out first.</summary>
    public IReadOnlyList<EngineEncoding?> Encodings { get; }

    /// <summary>The string the encoder was still busy with when the budget ran out, if any.</summary>
    public int? Abandoned { get; }

    public static EngineRun For(string name) => s_runs.GetOrAdd(name, key => new Lazy<EngineRun>(() => new EngineRun(key))).Value;

    /// <summary>The slowest strings, for the test output.</summary>
    public IEnumerable<(int Index, TimeSpan Elapsed)> Slowest(int count) =>
        Encodings.Select((encoding, index) => (index, encoding?.Elapsed ?? TimeSpan.Zero))
            .OrderByDescending(item => item.Item2)
            .Take(count);

    private static (EngineEncoding?[] Encodings, TimeSpan Elapsed, int? Abandoned) EncodeCorpus(HuggingFaceTokenizer tokenizer, IReadOnlyList<CorpusEntry> corpus)
    {
        var encodings = new EngineEncoding?[corpus.Count];
        int current = -1;
        using var stop = new CancellationTokenSource();
        var total = Stopwatch.StartNew();
        var worker = new Thread(() =>
        {
            for (int index = 0; index < corpus.Count && !stop.IsCancellationRequested; index++)
            {
                Volatile.Write(ref current, index);
                var watch = Stopwatch.StartNew();
                try
                {
                    int[] ids = [.. tokenizer.Encode(corpus[index].Text, addSpecialTokens: true)];
                    int[] idsNoSpecial = [.. tokenizer.Encode(corpus[index].Text, addSpecialTokens: false)];
                    encodings[index] = new EngineEncoding(ids, idsNoSpecial, null, watch.Elapsed);
                }
#pragma warning disable CA1031 // Every exception is a finding to report, not to stop the run.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    encodings[index] = new EngineEncoding(null, null, e, watch.Elapsed);
                }
            }

            Volatile.Write(ref current, -1);
        })
        {
            IsBackground = true,
            Name = "tokenizer conformance",
        };
        worker.Start();
        if (!worker.Join(Budget))
        {
            stop.Cancel();
            // The string being encoded when the budget ran out gets a little longer to finish.
            worker.Join(TimeSpan.FromSeconds(5));
        }

        int stuck = Volatile.Read(ref current);
        return ([.. encodings], total.Elapsed, worker.IsAlive && stuck >= 0 ? stuck : null);
    }
}
