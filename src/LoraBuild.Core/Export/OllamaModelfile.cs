using System.Globalization;
using System.Text;
using LoraBuild.Core.Data;

namespace LoraBuild.Core.Export;

/// <summary>
/// An Ollama <c>Modelfile</c> for an exported model and adapter: <c>FROM</c> the base GGUF, <c>ADAPTER</c> the LoRA
/// GGUF, the prompt format the adapter was trained with as a Go <c>TEMPLATE</c> (Alpaca: the system message is the
/// instruction and the prompt its input; the chat templates LoraBuild renders: chatml, llama-2, llama-3, zephyr), stop
/// sequences at the end of a turn, and temperature 0, since LoraBuild evaluates greedily.
/// </summary>
public static class OllamaModelfile
{
    /// <summary>The file name Ollama looks for.</summary>
    public const string FileName = "Modelfile";

    /// <summary>The name a prompt format takes when it is the Alpaca template.</summary>
    public const string AlpacaFormat = "alpaca";

    /// <summary>The Modelfile's text.</summary>
    /// <param name="modelFile">The base model's GGUF, relative to the Modelfile (<c>./model.gguf</c>).</param>
    /// <param name="adapterFile">The adapter's GGUF, relative to the Modelfile; null for a model alone.</param>
    /// <param name="promptFormat"><see cref="AlpacaFormat"/>, a chat template's name, or null when there is none (plain text).</param>
    /// <param name="modelExported">False when <paramref name="modelFile"/> was not written with the adapter: the file says how to get it.</param>
    public static string Render(string modelFile, string? adapterFile, string? promptFormat, bool modelExported = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelFile);
        var text = new StringBuilder();
        text.Append("# Written by LoraBuild (dotnet lora export). Create the model with: ollama create <name> -f Modelfile\n");
        if (!modelExported)
        {
            text.Append(CultureInfo.InvariantCulture, $"# {modelFile} was not exported with the adapter: export the base with dotnet lora export --model <base folder>, or point FROM at the base's GGUF.\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"FROM {modelFile}\n");
        if (adapterFile is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"ADAPTER {adapterFile}\n");
        }

        var (template, stops) = Template(promptFormat);
        if (template is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"TEMPLATE \"\"\"{template}\"\"\"\n");
        }

        foreach (var stop in stops)
        {
            text.Append(CultureInfo.InvariantCulture, $"PARAMETER stop \"{stop}\"\n");
        }

        text.Append("PARAMETER temperature 0\n");
        return text.ToString();
    }

    private static (string? Template, string[] Stops) Template(string? format)
    {
        if (format is null)
        {
            return ("{{ .Prompt }}", []);
        }

        if (format.Equals(AlpacaFormat, StringComparison.OrdinalIgnoreCase))
        {
            return (
                "{{ if .System }}" + AlpacaTemplate.PreambleWithInput + "### Instruction:\n{{ .System }}\n\n### Input:\n{{ .Prompt }}\n\n### Response:\n"
                    + "{{ else }}" + AlpacaTemplate.PreambleWithoutInput + "### Instruction:\n{{ .Prompt }}\n\n### Response:\n{{ end }}{{ .Response }}",
                []);
        }

        var chat = ChatTemplates.FromName(format);
        return chat.Name switch
        {
            "chatml" => (
                "{{ if .System }}<|im_start|>system\n{{ .System }}<|im_end|>\n{{ end }}<|im_start|>user\n{{ .Prompt }}<|im_end|>\n<|im_start|>assistant\n{{ .Response }}<|im_end|>\n",
                ["<|im_end|>", "<|im_start|>"]),
            "llama-2" => (
                "[INST] {{ if .System }}<<SYS>>\n{{ .System }}\n<</SYS>>\n\n{{ end }}{{ .Prompt }} [/INST]{{ .Response }}",
                ["[INST]", "[/INST]"]),
            "llama-3" => (
                "{{ if .System }}<|start_header_id|>system<|end_header_id|>\n\n{{ .System }}<|eot_id|>{{ end }}<|start_header_id|>user<|end_header_id|>\n\n{{ .Prompt }}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n{{ .Response }}<|eot_id|>",
                ["<|eot_id|>", "<|start_header_id|>"]),
            "zephyr" => (
                "{{ if .System }}<|system|>\n{{ .System }}</s>\n{{ end }}<|user|>\n{{ .Prompt }}</s>\n<|assistant|>\n{{ .Response }}</s>\n",
                ["</s>", "<|user|>"]),
            _ => (null, []),
        };
    }
}
