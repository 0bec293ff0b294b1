using System.IO.Compression;
using System.Text;
using System.Text.Json;
using LoraBuild.Core.Data;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Evaluation.Outputs;
using LoraBuild.Core.Fingerprints;
using LoraBuild.Core.Packaging;
using LoraBuild.Core.Specs;
using LoraBuild.Engine.Checkpoints;
using LoraBuild.Engine.Generation;
using LoraBuild.Engine.Jobs;
using LoraBuild.Engine.Runtime;
using LoraBuild.Engine.Tests.Checkpoints;
using LoraBuild.Engine.Tests.Jobs;
using LoraBuild.Engine.Training;

namespace LoraBuild.Engine.Tests.Runtime;

public sealed class AdaptedModelTests : IDisposable
{
    private const string Prompt = "the order arrived";

    private readonly TinyCheckpoint _checkpoint = new();
    private readonly TinyAdapter _adapter;
    private readonly string _scratch = Path.Combine(Path.GetTempPath(), "lorabuild-runtime-" + Guid.NewGuid().ToString("N"));

    public AdaptedModelTests()
    {
        _adapter = new TinyAdapter(_checkpoint);
        _adapter.WriteManifest(TinyAdapter.Manifest(TinyAdapter.HashFiles(_checkpoint.Directory)));
        Directory.CreateDirectory(_scratch);
    }

    public void Dispose()
    {
        _adapter.Dispose();
        _checkpoint.Dispose();
        Directory.Delete(_scratch, recursive: true);
    }

    /// <summary>What <c>dotnet lora generate --adapter</c> prints, less its final newline: the reference the runtime API must match.</summary>
    private string CliStyleGeneration(string prompt, string? adapterDirectory)
    {
        using var loaded = PretrainedModel.Load(_checkpoint.Directory, adapterDirectory: adapterDirectory);
        var options = new SamplingOptions { MaxNewTokens = loaded.Generation.MaxNewTokens ?? 128, EosTokenIds = loaded.EosTokenIds };
        var decoder = loaded.Tokenizer.CreateIncrementalDecoder();
        var text = new StringBuilder();
        foreach (var id in new TextGenerator(loaded.Model).Generate(loaded.Tokenizer.Encode(prompt), options))
        {
            text.Append(decoder.AppendToken(id));
        }

        return text.Append(decoder.Flush()).ToString();
    }

    private string PackageFolderWithTheAdapter(string name)
    {
        var folder = Path.Combine(_scratch, "package");
        var target = Path.Combine(folder, "lora", name);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(_adapter.Directory))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return folder;
    }

    [Fact]
    public void GeneratingFromAnAdapterFolderMatchesTheGenerateCommandAndDiffersFromTheBase()
    {
        using var model = AdaptedModel.Load(_checkpoint.Directory, _adapter.Directory);

        var answer = model.Generate(Prompt);

        Assert.Equal(CliStyleGeneration(Prompt, _adapter.Directory), answer);
        Assert.NotEqual(CliStyleGeneration(Prompt, adapterDirectory: null), answer);
        Assert.Equal(string.Concat(model.GenerateStream(Prompt)), answer);
        Assert.Equal(Path.GetFullPath(_adapter.Directory), model.AdapterDirectory);
        Assert.Equal("3f9a" + new string('0', 60), model.Manifest!.Fingerprint);
        Assert.Empty(model.Warnings);
    }

    [Fact]
    public void AnExtractedPackageAndANupkgLoadTheSameAdapter()
    {
        var folder = PackageFolderWithTheAdapter("SupportTriage");
        var nupkg = Path.Combine(_scratch, "Triage.1.0.0.nupkg");
        ZipFile.CreateFromDirectory(folder, nupkg);
        var expected = CliStyleGeneration(Prompt, _adapter.Directory);

        using var fromFolder = AdaptedModel.Load(_checkpoint.Directory, folder);
        using var fromNupkg = AdaptedModel.Load(_checkpoint.Directory, nupkg, new AdaptedModelOptions { AdapterName = "SupportTriage", ExtractionFolder = Path.Combine(_scratch, "cache") });

        Assert.Equal(Path.Combine(folder, "lora", "SupportTriage"), fromFolder.AdapterDirectory);
        Assert.StartsWith(Path.Combine(_scratch, "cache"), fromNupkg.AdapterDirectory, StringComparison.Ordinal);
        Assert.Equal(expected, fromFolder.Generate(Prompt));
        Assert.Equal(expected, fromNupkg.Generate(Prompt));
    }

    [Fact]
    public void ATrainedAdapterLoadsAsTrainedAndAnswersItsHeldOutInputsAsItsEvaluationDid()
    {
        using var project = new TinyProject();
        TrainingJob.Run(
            TrainingSpecJson.ReadFile(project.SpecFile) with { Quantization = Quantizations.Nf4, MaxSteps = 4 }, project.Output(), new FileHashCache(null), new QuietObserver());
        var samples = EvalOutputsJson.ReadFile(Path.Combine(project.Output(), EvalOutputs.FileName)).Samples;
        var inputs = File.ReadAllLines(project.EvalData).Select(line => JsonDocument.Parse(line).RootElement.GetProperty("input").GetString()!).ToList();

        using var model = AdaptedModel.Load(project.BaseModelDirectory, project.Output());
        var options = model.DefaultSampling with { MaxNewTokens = 4 };

        Assert.Equal(Quantizations.Nf4, model.Model.Quantized?.Quantization);
        Assert.Equal((DatasetFormat.Alpaca, "refund the order"), (model.PromptFormat.Format, model.PromptFormat.Instruction));
        Assert.Equal(samples.Select(sample => sample.After.Output), inputs.Select(input => model.Ask(input, options)));
        Assert.Equal(samples.Select(sample => sample.After.Output), inputs.Select(input => model.Answer(null, input, options)));
        Assert.Equal(PromptErrorCodes.PromptFormatMismatch, Assert.Throws<LoraException>(() => model.Chat("hello")).Code);
    }

    [Fact]
    public void AnswerFormatsTheAlpacaPrompt()
    {
        using var model = AdaptedModel.Load(_checkpoint.Directory, _adapter.Directory);

        Assert.Equal(model.Generate(AlpacaTemplate.Prompt("refund the order", "order 7")), model.Answer("refund the order", "order 7"));
    }

    [Fact]
    public void SamplingOptionsAreHonouredAndTheModelsStopTokensFillIn()
    {
        using var model = AdaptedModel.Load(_checkpoint.Directory, _adapter.Directory);

        var two = model.Generate(Prompt, new SamplingOptions { MaxNewTokens = 2 });

        Assert.Equal(12, model.DefaultSampling.MaxNewTokens);
        Assert.Contains(299, model.DefaultSampling.EosTokenIds);
        Assert.StartsWith(two, model.Generate(Prompt), StringComparison.Ordinal);
        Assert.InRange(model.GenerateStream(Prompt, new SamplingOptions { MaxNewTokens = 2 }).Count(), 1, 2);
        Assert.True(two.Length < model.Generate(Prompt).Length, "two tokens give less text than twelve");
    }

    [Fact]
    public void AnAdapterOfAnotherBaseIsAWarningOrOnRequestAnError()
    {
        using var other = new TinyCheckpoint(seed: 99);

        using (var lenient = AdaptedModel.Load(other.Directory, _adapter.Directory))
        {
            Assert.Contains("not the one the adapter was trained on", Assert.Single(lenient.Warnings), StringComparison.Ordinal);
        }

        var error = Assert.Throws<LoraException>(() => AdaptedModel.Load(other.Directory, _adapter.Directory, new AdaptedModelOptions { RequireMatchingBaseModel = true }));
        Assert.Equal(PackagingErrorCodes.BaseModelMismatch, error.Code);
        Assert.Equal(Path.GetFullPath(_adapter.Directory), error.Location);
    }

    [Fact]
    public void AMissingAdapterIsReportedBeforeAnythingLoads()
    {
        var error = Assert.Throws<LoraException>(() => AdaptedModel.Load(_checkpoint.Directory, Path.Combine(_scratch, "absent")));

        Assert.Equal(PackagingErrorCodes.LocationNotFound, error.Code);
    }

    private sealed class QuietObserver : ITrainingJobObserver
    {
        public void Stage(string description)
        {
        }

        public void StepCompleted(TrainingProgress progress)
        {
        }

        public void Warning(string code, string message, string? location)
        {
        }
    }
}
