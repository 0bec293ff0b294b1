using System.CommandLine;
using System.Globalization;
using LoraBuild.Cli.Progress;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Export;
using LoraBuild.Core.Gguf;
using LoraBuild.Engine.Export;
using Spectre.Console;

namespace LoraBuild.Cli.Commands;

/// <summary><c>dotnet lora export</c>: a model and/or an adapter as GGUF files for llama.cpp, LLamaSharp and Ollama.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var format = new Option<string>("--format", "-f") { Description = "The format to write; only gguf.", DefaultValueFactory = _ => "gguf" };
        var model = new Option<string?>("--model", "-m")
        {
            Description = "A model folder in Hugging Face layout (a base, or a merged model) to write as model.gguf; with --adapter, the adapter's base.",
        };
        var adapter = new Option<string?>("--adapter", "-a")
        {
            Description = "A PEFT LoRA adapter folder to write as adapter.gguf; its base is --model, or else found from the adapter's files.",
        };
        var output = new Option<string>("--output", "-o") { Description = "The folder to write into.", Required = true };
        var type = new Option<string?>("--type", "-t")
        {
            Description = $"The type of the model's 2-D tensors: {string.Join(", ", GgufTensorTypes.Names)} (default: the model's torch_dtype), or none to write only the adapter. Norms and biases stay f32; the adapter is always f32.",
        };
        var force = new Option<bool>("--force") { Description = "Write into the output folder even if it is not empty (files of the same name are replaced)." };
        var command = new Command("export", "Export a model and/or a LoRA adapter for llama.cpp (GGUF), with an Ollama Modelfile.")
        {
            format, model, adapter, output, type, force,
        };
        command.SetAction(parse => CommandRunner.Run(() => Run(
            parse.GetValue(format)!, parse.GetValue(model), parse.GetValue(adapter), parse.GetValue(output)!, parse.GetValue(type), parse.GetValue(force))));
        return command;
    }

    private static int Run(string format, string? model, string? adapter, string output, string? typeName, bool force)
    {
        if (!format.Equals("gguf", StringComparison.OrdinalIgnoreCase))
        {
            throw new LoraException(ExportErrorCodes.FormatUnknown, $"'{format}' is not an export format; use gguf.", "--format");
        }

        if (model is null && adapter is null)
        {
            throw new LoraException(CliErrorCodes.ModelPathMissing, "Name what to export: --model, --adapter, or both.", "--model");
        }

        RequireFolder(model, "model");
        RequireFolder(adapter, "adapter");
        var writeModel = !string.Equals(typeName, GgufTensorTypes.None, StringComparison.OrdinalIgnoreCase);
        if (!writeModel && adapter is null)
        {
            throw new LoraException(ExportErrorCodes.TensorTypeUnknown, "--type none writes no model, and no --adapter was given: there is nothing to export.", "--type");
        }

        GgmlType? type = typeName is null || !writeModel ? null : GgufTensorTypes.Parse(typeName, "--type");
        string[] inputs = [.. new[] { model, adapter }.OfType<string>().Select(Path.GetFullPath)];
        OutputFolderCheck.Check(Path.GetFullPath(output), inputs, force, "export");

        foreach (var result in GgufExport.Run(output, model, adapter, type, writeModel, file => new ExportProgressLines(file, Console.Out)))
        {
            var what = result.Alpha is { } alpha
                ? $"LoRA adapter, {result.Tensors / 2} layers, alpha {alpha.ToString(CultureInfo.InvariantCulture)}"
                    + (result.FoldedScales > 0 ? $", {result.FoldedScales} layer scale(s) folded into lora_b" : string.Empty)
                : $"{GgmlTypes.Name(result.Type)}, {result.Tensors} tensors";
            AnsiConsole.MarkupLine(Markup.Escape($"Wrote {result.Path} ({result.Architecture}, {what}, {result.Bytes / (1024.0 * 1024.0):F1} MiB)."));
        }

        AnsiConsole.MarkupLine(Markup.Escape($"Wrote {Path.Combine(output, OllamaModelfile.FileName)} (ollama create <name> -f {Path.Combine(output, OllamaModelfile.FileName)})."));
        return 0;
    }

    private static void RequireFolder(string? path, string what)
    {
        if (path is not null && !Directory.Exists(path))
        {
            throw new LoraException(CliErrorCodes.PathNotFound, $"No such {what} folder.", path);
        }
    }
}
