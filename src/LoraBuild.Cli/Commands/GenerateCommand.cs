using System.CommandLine;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Engine.Checkpoints;
using LoraBuild.Engine.Generation;

namespace LoraBuild.Cli.Commands;

/// <summary><c>dotnet lora generate</c>: prompt in, text out, streamed token by token, from a base model or a base plus an adapter.</summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "A model directory in Hugging Face layout.", Required = true };
        var adapter = new Option<string?>("--adapter", "-a") { Description = "A LoRA adapter folder (adapter_config.json, adapter_model.safetensors) to generate with." };
        var prompt = new Option<string?>("--prompt", "-p") { Description = "The prompt; read from standard input when omitted." };
        var maxNewTokens = new Option<int?>("--max-new-tokens") { Description = "Stop after this many new tokens (default: generation_config.json, else 128)." };
        var temperature = new Option<double?>("--temperature") { Description = "0 for greedy decoding (default), higher for more random sampling." };
        var topK = new Option<int?>("--top-k") { Description = "Sample only from the k most likely tokens (0: off)." };
        var topP = new Option<double?>("--top-p") { Description = "Sample only from the smallest set of tokens whose probability reaches p (1: off)." };
        var seed = new Option<long>("--seed") { Description = "Seed for sampling; the same seed gives the same text.", DefaultValueFactory = _ => 0 };
        var command = new Command("generate", "Generate text from a prompt with a model, streaming it as it is produced.")
        {
            model, adapter, prompt, maxNewTokens, temperature, topK, topP, seed,
        };
        command.SetAction((parse, cancellation) => Task.FromResult(CommandRunner.Run(() =>
        {
            using var loaded = Load(parse.GetValue(model)!, parse.GetValue(adapter));
            var options = new SamplingOptions
            {
                MaxNewTokens = parse.GetValue(maxNewTokens) ?? loaded.Generation.MaxNewTokens ?? 128,
                Temperature = parse.GetValue(temperature) ?? 0,
                TopK = parse.GetValue(topK) ?? 0,
                TopP = parse.GetValue(topP) ?? 1.0,
                Seed = parse.GetValue(seed),
                EosTokenIds = loaded.EosTokenIds,
            };
            var text = parse.GetValue(prompt) ?? Console.In.ReadToEnd();
            Stream(loaded, text, options, Console.Out, cancellation);
            return 0;
        })));
        return command;
    }

    /// <summary>Loads the model, with the adapter when one is given, and prints any warning about the pair.</summary>
    internal static PretrainedModel Load(string modelDirectory, string? adapterDirectory)
    {
        if (!Directory.Exists(modelDirectory))
        {
            throw new LoraException(CliErrorCodes.PathNotFound, "No such model directory or config.json.", modelDirectory);
        }

        if (adapterDirectory is not null && !Directory.Exists(adapterDirectory))
        {
            throw new LoraException(CliErrorCodes.PathNotFound, "No such adapter folder.", adapterDirectory);
        }

        var loaded = PretrainedModel.Load(modelDirectory, adapterDirectory: adapterDirectory);
        WarningPrinter.Print(loaded.Warnings);
        return loaded;
    }

    /// <summary>Writes the continuation of <paramref name="prompt"/> to <paramref name="output"/> as each token is chosen.</summary>
    internal static void Stream(PretrainedModel model, string prompt, SamplingOptions options, TextWriter output, CancellationToken cancellation)
    {
        var promptIds = model.Tokenizer.Encode(prompt);
        // The tokenizer's bos alone is no prompt: there would be nothing to continue.
        if (model.Tokenizer.Encode(prompt, addSpecialTokens: false).Count == 0)
        {
            throw new LoraException(CliErrorCodes.PromptEmpty, "The prompt is empty after tokenization; give some text.", "--prompt");
        }

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
}
