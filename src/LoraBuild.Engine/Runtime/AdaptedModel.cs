using System.Text;
using LoraBuild.Core.Data;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Manifests;
using LoraBuild.Core.Packaging;
using LoraBuild.Core.Specs;
using LoraBuild.Engine.Checkpoints;
using LoraBuild.Engine.Generation;

namespace LoraBuild.Engine.Runtime;

/// <summary>
/// A base model with a LoRA adapter on it, ready to generate: what a project that references an adapter package
/// needs at run time.
/// <code>
/// using var model = AdaptedModel.Load("models/tiny", AdaptedModel.OutputAdapter("SupportTriage"));
/// string answer = model.Answer("Classify the support ticket.", ticket);
/// </code>
/// </summary>
public sealed class AdaptedModel : IDisposable
{
    private AdaptedModel(PretrainedModel model, TrainingManifest? manifest)
    {
        Model = model;
        Manifest = manifest;
        PromptFormat = AdapterPromptFormat.Of(model, manifest);
    }

    /// <summary>The loaded base and adapter, for what this class does not cover.</summary>
    public PretrainedModel Model { get; }

    /// <summary>The base model folder (full path).</summary>
    public string BaseModelDirectory => Model.Directory;

    /// <summary>The adapter folder that was loaded (full path): for a package, its <c>lora/&lt;Adapter&gt;/</c> folder.</summary>
    public string AdapterDirectory => Model.AdapterDirectory!;

    /// <summary>The adapter's <c>lorabuild.json</c> (fingerprint, settings, metrics), or null when the folder has none.</summary>
    public TrainingManifest? Manifest { get; }

    /// <summary>The prompt format the adapter was trained on, which <see cref="Ask"/>, <see cref="Answer"/> and <see cref="Chat"/> render.</summary>
    public AdapterPromptFormat PromptFormat { get; }

    /// <summary>What does not stop loading but should be told: for now, that the adapter seems to belong to another base model.</summary>
    public IReadOnlyList<string> Warnings => Model.Warnings;

    /// <summary>
    /// Greedy decoding up to <c>generation_config.json</c>'s <c>max_new_tokens</c> (else 128), stopping at any of the
    /// model's end-of-sequence tokens: what <c>dotnet lora generate</c> does without sampling flags.
    /// </summary>
    public SamplingOptions DefaultSampling => new()
    {
        MaxNewTokens = Model.Generation.MaxNewTokens ?? 128,
        EosTokenIds = Model.EosTokenIds,
    };

    /// <summary>The folder a referenced adapter package copies <paramref name="adapterName"/> to: <c>lora/&lt;Adapter&gt;/</c> beside the running app.</summary>
    public static string OutputAdapter(string adapterName)
    {
        AdapterPackageLayout.ValidateAdapterName(adapterName);
        return Path.Combine(AppContext.BaseDirectory, AdapterPackageLayout.AdaptersFolder, adapterName);
    }

    /// <summary>Loads the base model in <paramref name="baseModelDirectory"/> with the adapter at <paramref name="adapterLocation"/> on it.</summary>
    /// <param name="baseModelDirectory">A model folder in Hugging Face layout.</param>
    /// <param name="adapterLocation">
    /// An adapter folder (a <c>LoraAdapterReference</c>'s <c>Path</c>, or <see cref="OutputAdapter"/>), an extracted
    /// package folder holding <c>lora/</c>, or a <c>.nupkg</c> file.
    /// </param>
    /// <param name="options">DType, device, which adapter, how strict the base model check is.</param>
    /// <exception cref="LoraException">
    /// The adapter cannot be found (LORA4110–LORA4113), a file of the model or adapter is invalid (LORA1xxx, LORA2xxx,
    /// LORA3xxx), or the base does not match with <see cref="AdaptedModelOptions.RequireMatchingBaseModel"/> (LORA4114).
    /// </exception>
    public static AdaptedModel Load(string baseModelDirectory, string adapterLocation, AdaptedModelOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(baseModelDirectory);
        ArgumentException.ThrowIfNullOrEmpty(adapterLocation);
        options ??= new AdaptedModelOptions();
        var adapterDirectory = AdapterLocator.Resolve(adapterLocation, options.AdapterName, options.ExtractionFolder);
        var manifestPath = Path.Combine(adapterDirectory, TrainingManifest.FileName);
        var manifest = File.Exists(manifestPath) ? TrainingManifestJson.ReadFile(manifestPath) : null;
        var trained = manifest?.Spec ?? new TrainingSpec();
        var model = PretrainedModel.Load(
            baseModelDirectory, options.DType ?? SpecModelLoader.DTypeOf(trained), options.Device, adapterDirectory, options.Quantization ?? trained.Quantization);
        if (options.RequireMatchingBaseModel && model.Warnings.Count > 0)
        {
            model.Dispose();
            throw new LoraException(PackagingErrorCodes.BaseModelMismatch, string.Join(" ", model.Warnings), adapterDirectory);
        }

        return new AdaptedModel(model, manifest);
    }

    /// <summary>The continuation of <paramref name="prompt"/> (the prompt itself not repeated).</summary>
    /// <param name="prompt">The text to continue, encoded with the tokenizer's special tokens.</param>
    /// <param name="options">How to choose tokens; <see cref="DefaultSampling"/> when null. Without stop tokens, the model's are used.</param>
    /// <param name="cancellationToken">Stops between tokens.</param>
    public string Generate(string prompt, SamplingOptions? options = null, CancellationToken cancellationToken = default)
    {
        var text = new StringBuilder();
        foreach (var piece in GenerateStream(prompt, options, cancellationToken))
        {
            text.Append(piece);
        }

        return text.ToString();
    }

    /// <summary>The continuation of <paramref name="prompt"/> as it is produced: each piece is text completed by the newest token.</summary>
    /// <inheritdoc cref="Generate" path="/param"/>
    public IEnumerable<string> GenerateStream(string prompt, SamplingOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        options ??= DefaultSampling;
        if (options.EosTokenIds.Count == 0)
        {
            options = options with { EosTokenIds = Model.EosTokenIds };
        }

        var promptIds = Model.Tokenizer.Encode(prompt);
        return Stream(promptIds, options, cancellationToken);
    }

    /// <summary>
    /// The answer to <paramref name="text"/> asked in the adapter's training format (see
    /// <see cref="AdapterPromptFormat.Default"/>): the input to the shared instruction of an Alpaca adapter, the user
    /// message of a chat adapter; the prompt as it is for an adapter trained on plain text or without a manifest.
    /// </summary>
    public string Ask(string text, SamplingOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return PromptFormat.Default(text) is { } prompt
            ? Complete(PromptFormat.PromptIds(prompt), options, cancellationToken)
            : Generate(text, options, cancellationToken);
    }

    /// <summary>
    /// The answer to an instruction and an input in the Alpaca prompt format (<see cref="AlpacaTemplate.Prompt"/>), tokenized
    /// as the evaluation tokenizes it; a null <paramref name="instruction"/> uses the one the training records shared.
    /// </summary>
    /// <exception cref="LoraException">LORA1360 for an adapter trained on chat data; LORA1361 without an instruction.</exception>
    public string Answer(string? instruction, string input = "", SamplingOptions? options = null, CancellationToken cancellationToken = default) =>
        Complete(PromptFormat.PromptIds(PromptFormat.Alpaca(instruction, input)), options, cancellationToken);

    /// <summary>
    /// The assistant's reply to one user <paramref name="message"/> in the adapter's chat template; a null
    /// <paramref name="system"/> uses the system message the training conversations shared, if any.
    /// </summary>
    /// <exception cref="LoraException">LORA1360 for an adapter trained on Alpaca data.</exception>
    public string Chat(string message, string? system = null, SamplingOptions? options = null, CancellationToken cancellationToken = default) =>
        Complete(PromptFormat.PromptIds(PromptFormat.Chat(message, system)), options, cancellationToken);

    public void Dispose() => Model.Dispose();

    private string Complete(IReadOnlyList<int> promptIds, SamplingOptions? options, CancellationToken cancellationToken)
    {
        options ??= DefaultSampling;
        if (options.EosTokenIds.Count == 0)
        {
            options = options with { EosTokenIds = Model.EosTokenIds };
        }

        return string.Concat(Stream(promptIds, options, cancellationToken));
    }

    private IEnumerable<string> Stream(IReadOnlyList<int> promptIds, SamplingOptions options, CancellationToken cancellationToken)
    {
        var decoder = Model.Tokenizer.CreateIncrementalDecoder();
        foreach (var id in new TextGenerator(Model.Model).Generate(promptIds, options))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (decoder.AppendToken(id) is { Length: > 0 } piece)
            {
                yield return piece;
            }
        }

        if (decoder.Flush() is { Length: > 0 } rest)
        {
            yield return rest;
        }
    }
}
