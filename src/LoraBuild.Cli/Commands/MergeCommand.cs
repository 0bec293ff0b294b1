using System.CommandLine;
using System.Globalization;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Engine.Checkpoints;
using Spectre.Console;
using static TorchSharp.torch;

namespace LoraBuild.Cli.Commands;

/// <summary><c>dotnet lora merge</c>: fold an adapter into its base model and write an ordinary Hugging Face model folder.</summary>
internal static class MergeCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "The base model directory in Hugging Face layout.", Required = true };
        var adapter = new Option<string>("--adapter", "-a") { Description = "The LoRA adapter folder to merge.", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "The model folder to write.", Required = true };
        var dtype = new Option<string?>("--dtype")
        {
            Description = $"The dtype of the merged weights: {string.Join(", ", HuggingFaceDTypes.Names)} (default: the base's torch_dtype).",
        };
        var force = new Option<bool>("--force") { Description = "Replace the output folder if it exists and is not empty." };
        var device = DeviceOption.Create("cpu");
        var command = new Command("merge", "Merge a LoRA adapter into its base model's weights and write the result as a Hugging Face model folder.")
        {
            model, adapter, output, dtype, force, device,
        };
        command.SetAction(parse => CommandRunner.Run(() => Run(
            parse.GetValue(model)!, parse.GetValue(adapter)!, parse.GetValue(output)!, parse.GetValue(dtype), parse.GetValue(force), parse.GetValue(device))));
        return command;
    }

    private static int Run(string model, string adapter, string output, string? dtypeName, bool force, string? device)
    {
        if (!Directory.Exists(adapter))
        {
            throw new LoraException(CliErrorCodes.PathNotFound, "No such adapter folder.", adapter);
        }

        ScalarType? dtype = null;
        if (dtypeName is not null)
        {
            if (!HuggingFaceDTypes.TryParse(dtypeName, out var parsed))
            {
                throw new LoraException(CliErrorCodes.DTypeUnknown, $"'{dtypeName}' is not a dtype a model is saved in; use {string.Join(", ", HuggingFaceDTypes.Names)}.", "--dtype");
            }

            dtype = parsed;
        }

        OutputFolderCheck.Check(Path.GetFullPath(output), [Path.GetFullPath(model), Path.GetFullPath(adapter)], force, "merge");
        var result = AdapterMerger.Merge(model, adapter, output, dtype, device: device);
        WarningPrinter.Print(result.Warnings);

        var written = Directory.EnumerateFiles(output).Sum(file => new FileInfo(file).Length);
        var lora = result.Settings;
        AnsiConsole.MarkupLine(Markup.Escape(
            $"Merged {result.Layers} LoRA layers (r={lora.Rank}, alpha={lora.Alpha.ToString(CultureInfo.InvariantCulture)}, targets {lora.Targets}) "
                + $"into {model}: wrote {output} ({HuggingFaceDTypes.NameOf(result.DType)}, {written / (1024.0 * 1024.0):F1} MiB)."));
        return 0;
    }
}
