using System.CommandLine;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Export;
using LoraBuild.Core.Manifests;
using LoraBuild.Core.Specs;
using LoraBuild.Engine.Checkpoints;
using LoraBuild.Engine.Export;
using LoraBuild.Engine.Generation;

namespace LoraBuild.Cli.Commands;

/// <summary>
/// <c>dotnet lora generate</c>: a question in, text out, streamed token by token, from a base model or a base plus an
/// adapter; an adapter is loaded as it was trained (precision, quantization) and asked in its training template.
/// </summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var model = new Option<string?>("--model", "-m") { Description = "A model directory in Hugging Face layout (default with --adapter: the base model its lorabuild.json records)." };
        var adapter = new Option<string?>("--adapter", "-a") { Description = "A LoRA adapter folder (adapter_config.json, adapter_model.safetensors) to generate with." };
        var maxNewTokens = new Option<int?>("--max-new-tokens") { Description = "Stop after this many new tokens (default: generation_config.json, else 128)." };
        var temperature = new Option<double?>("--temperature") { Description = "0 for greedy decoding (default), higher for more random sampling." };
        var topK = new Option<int?>("--top-k") { Description = "Sample only from the k most likely tokens (0: off)." };
        var topP = new Option<double?>("--top-p") { Description = "Sample only from the smallest set of tokens whose probability reaches p (1: off)." };
        var seed = new Option<long>("--seed") { Description = "Seed for sampling; the same seed gives the same text.", DefaultValueFactory = _ => 0 };
        var device = DeviceOption.Create("auto");
        var prompts = new GeneratePromptOptions();
        var command = new Command("generate", "Generate text from a prompt with a model, streaming it as it is produced.")
        {
            model, adapter, maxNewTokens, temperature, topK, topP, seed, device,
        };
        prompts.AddTo(command);
        command.SetAction((parse, cancellation) => Task.FromResult(CommandRunner.Run(() =>
        {
            var adapterDirectory = parse.GetValue(adapter);
            var manifest = adapterDirectory is null ? null : ReadManifest(adapterDirectory);
            using var loaded = Load(parse.GetValue(model) ?? BaseModelOf(adapterDirectory), adapterDirectory, manifest?.Spec, parse.GetValue(device));
            var (templateIds, rawText) = prompts.Resolve(parse, AdapterPromptFormat.Of(loaded, manifest), Console.In.ReadToEnd);
            var options = new SamplingOptions
            {
                MaxNewTokens = parse.GetValue(maxNewTokens) ?? loaded.Generation.MaxNewTokens ?? 128,
                Temperature = parse.GetValue(temperature) ?? 0,
                TopK = parse.GetValue(topK) ?? 0,
                TopP = parse.GetValue(topP) ?? 1.0,
                Seed = parse.GetValue(seed),
                EosTokenIds = loaded.EosTokenIds,
            };
            Stream(loaded, templateIds ?? RawPromptIds(loaded, rawText!), options, Console.Out, cancellation);
            return 0;
        })));
        return command;
    }

    /// <summary>
    /// Loads the model, with the adapter when one is given, as <paramref name="trained"/> says (its precision and
    /// quantization; float32 as stored when null), and prints any warning about the pair.
    /// </summary>
    /// <param name="device">Where to compute (<see cref="Devices"/>); auto when null, whatever the training run used.</param>
    internal static PretrainedModel Load(string modelDirectory, string? adapterDirectory, TrainingSpec? trained = null, string? device = null)
    {
        if (!Directory.Exists(modelDirectory))
        {
            throw new LoraException(CliErrorCodes.PathNotFound, "No such model directory or config.json.", modelDirectory);
        }

        if (adapterDirectory is not null && !Directory.Exists(adapterDirectory))
        {
            throw new LoraException(CliErrorCodes.PathNotFound, "No such adapter folder.", adapterDirectory);
        }

        var loaded = SpecModelLoader.Load((trained ?? new TrainingSpec()) with { Device = device ?? Devices.Auto }, modelDirectory, adapterDirectory);
        WarningPrinter.Print(loaded.Warnings);
        return loaded;
    }

    /// <summary>The ids of a prompt sent as it is, with the tokenizer's special tokens.</summary>
    internal static IReadOnlyList<int> RawPromptIds(PretrainedModel model, string prompt)
    {
        // The tokenizer's bos alone is no prompt: there would be nothing to continue.
        if (model.Tokenizer.Encode(prompt, addSpecialTokens: false).Count == 0)
        {
            throw new LoraException(CliErrorCodes.PromptEmpty, "The prompt is empty after tokenization; give some text.", "--prompt");
        }

        return model.Tokenizer.Encode(prompt);
    }

    /// <summary>Writes the continuation of the prompt to <paramref name="output"/> as each token is chosen.</summary>
    internal static void Stream(PretrainedModel model, IReadOnlyList<int> promptIds, SamplingOptions options, TextWriter output, CancellationToken cancellation)
    {
        var decoder = model.Tokenizer.CreateIncrementalDecoder();
        foreach (var id in new TextGenerator(model.Model).Generate(promptIds, options))
        {
            cancellation.ThrowIfCancellationRequested();
            output.Write(decoder.AppendToken(id));
            output.Flush();
        }

        output.Write(decoder.Flush());
        output.WriteLine();
    }

    private static TrainingManifest? ReadManifest(string adapterDirectory)
    {
        var path = Path.Combine(adapterDirectory, TrainingManifest.FileName);
        return File.Exists(path) ? TrainingManifestJson.ReadFile(path) : null;
    }

    private static string BaseModelOf(string? adapterDirectory)
    {
        if (adapterDirectory is null)
        {
            throw new LoraException(CliErrorCodes.ModelPathMissing, "Name the model with --model (or an adapter whose base model can be found with --adapter).", "--model");
        }

        if (!Directory.Exists(adapterDirectory))
        {
            throw new LoraException(CliErrorCodes.PathNotFound, "No such adapter folder.", adapterDirectory);
        }

        try
        {
            return AdapterBaseModelLocator.Find(adapterDirectory);
        }
        catch (LoraException e) when (e.Code == ExportErrorCodes.BaseModelNotFound)
        {
            throw new LoraException(
                CliErrorCodes.ModelPathMissing,
                "The adapter's base model is not a folder found from here or above the adapter; name it with --model.",
                "--model",
                e);
        }
    }
}
