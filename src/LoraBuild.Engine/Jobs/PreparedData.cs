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
        var train = BuildAll(spec, spec.Datasets, model, builder, trainRecords, out var dropped, out _);
        var eval = BuildAll(spec, spec.EvalDatasets, model, builder, [], out var evalDropped, out var suites);
        return new PreparedData(train, eval, suites, tokenizer.PadTokenId ?? eos, dropped + evalDropped, ManifestPrompt.Of(trainRecords));
    }

    private static List<TokenizedExample> BuildAll(
        TrainingSpec spec,
        IReadOnlyList<DatasetReference> datasets,
        PretrainedModel model,
        SequenceBuilder builder,
        List<DatasetRecord> allRecords,
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
