using LoraBuild.Core.Data;
using LoraBuild.Core.Evaluation;
using LoraBuild.Core.Evaluation.Metrics;
using LoraBuild.Core.Manifests;
using LoraBuild.Core.Specs;
using LoraBuild.Engine.Checkpoints;

namespace LoraBuild.Engine.Jobs;

/// <summary>A spec's datasets read, rendered and tokenized the way the trainer and the evaluator see them.</summary>
internal sealed record PreparedData(
    IReadOnlyList<TokenizedExample> Train,
    IReadOnlyList<TokenizedExample> Eval,
    IReadOnlyList<EvalSuite> EvalSuites,
    int PadId,
    int DroppedExamples,
    ManifestPrompt? Prompt)
{
    /// <summary>Chat datasets whose template ends an answer with a marker that is not an end-of-sequence token (see <see cref="JobWarningCodes.ChatEndIsNoStopToken"/>).</summary>
    public IReadOnlyList<(string Message, string Location)> StopMarkerWarnings { get; init; } = [];

    public static PreparedData Load(TrainingSpec spec, PretrainedModel model)
    {
        var tokenizer = model.Tokenizer;
        var eos = tokenizer.EosTokenId ?? model.EosTokenIds.Order().Cast<int?>().FirstOrDefault() ?? throw new Core.Diagnostics.LoraException(
            JobErrorCodes.NoEosToken,
            "The tokenizer defines no eos token; set eos_token in tokenizer_config.json or eos_token_id in config.json.",
            model.Directory);
        var builder = new SequenceBuilder(
            text => tokenizer.Encode(text, addSpecialTokens: false),
            tokenizer.PrefixTokenIds.Count > 0 ? tokenizer.PrefixTokenIds[0] : null,
            eos,
            spec.MaxSequenceLength);

        var trainRecords = new List<DatasetRecord>();
        var warnings = new List<(string, string)>();
        var train = BuildAll(spec, spec.Datasets, model, builder, trainRecords, warnings, out var dropped, out _);
        var eval = BuildAll(spec, spec.EvalDatasets, model, builder, [], warnings, out var evalDropped, out var suites);
        return new PreparedData(train, eval, suites, tokenizer.PadTokenId ?? eos, dropped + evalDropped, ManifestPrompt.Of(trainRecords))
        {
            StopMarkerWarnings = warnings,
        };
    }

    /// <summary>
    /// A chat template that ends an assistant turn with a marker (<c>&lt;|im_end|&gt;</c>) teaches the model to write that
    /// marker; generation stops only at the model's end-of-sequence ids, so unless the marker is one of them, every answer
    /// runs on to the token limit (the evaluation's exact match is then 0 whatever the model learned).
    /// </summary>
    private static (string Message, string Location)? StopMarkerProblem(ChatTemplate template, PretrainedModel model, string path)
    {
        var marker = template.EndOfTurn.Trim();
        if (marker.Length == 0)
        {
            return null; // training appends the eos token itself
        }

        var ids = model.Tokenizer.Encode(marker, addSpecialTokens: false);
        if (ids.Count == 1 && model.EosTokenIds.Contains(ids[0]))
        {
            return null;
        }

        return (
            $"The chat template '{template.Name}' ends each answer with '{marker}', which is not an end-of-sequence token of this model "
                + $"(the tokenizer splits it into {ids.Count} token(s); the model stops at id(s) {string.Join(", ", model.EosTokenIds.Order())}): "
                + "generated answers will not stop there but run on to the token limit. Name a chat template whose end marker is the model's eos token, "
                + $"or train a model whose vocabulary has '{marker}' as its eos.",
            path);
    }

    private static List<TokenizedExample> BuildAll(
        TrainingSpec spec,
        IReadOnlyList<DatasetReference> datasets,
        PretrainedModel model,
        SequenceBuilder builder,
        List<DatasetRecord> allRecords,
        List<(string Message, string Location)> warnings,
        out int dropped,
        out List<EvalSuite> suites)
    {
        var examples = new List<TokenizedExample>();
        suites = [];
        dropped = 0;
        foreach (var dataset in datasets)
        {
            var path = spec.ResolvePath(dataset.Path!);
            var format = DatasetFormats.Parse(dataset.Format, path);
            var template = format == DatasetFormat.Chat ? ChatTemplateFor(dataset, model, path) : null;
            if (template is not null && StopMarkerProblem(template, model, path) is { } warning)
            {
                warnings.Add(warning);
            }

            var records = DatasetReader.Read(path, format);
            allRecords.AddRange(records);
            var renderer = new ExampleRenderer(template, spec.TrainOnPrompt);
            var result = builder.BuildAll(renderer.RenderAll(records));
            examples.AddRange(result.Examples);
            dropped += result.DroppedCount;
            var metrics = MetricSuite.Parse(dataset.Metric, pattern: null, path);
            suites.Add(new EvalSuite(metrics, [.. records.Select(r => GenerationCase.For(r, template)).OfType<GenerationCase>()]));
        }

        return examples;
    }

    /// <summary>The chat template a chat dataset is rendered with: the one it names, else the base model's tokenizer_config.json's.</summary>
    internal static ChatTemplate ChatTemplateFor(DatasetReference dataset, PretrainedModel model, string location) =>
        string.IsNullOrWhiteSpace(dataset.ChatTemplate)
            ? ChatTemplates.FromTokenizerConfig(
                Path.Combine(model.Directory, "tokenizer_config.json"),
                model.Tokenizer.BosTokenId is int bos ? model.Tokenizer.IdToToken(bos) : null,
                model.Tokenizer.EosTokenId is int eos ? model.Tokenizer.IdToToken(eos) : null)
            : ChatTemplates.FromName(dataset.ChatTemplate, location);
}
