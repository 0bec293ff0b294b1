using LoraBuild.Core.Data;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Evaluation;
using LoraBuild.Core.Manifests;
using LoraBuild.Core.Specs;
using LoraBuild.Engine.Checkpoints;
using LoraBuild.Engine.Jobs;
using LoraBuild.Engine.Tokenizers;

namespace LoraBuild.Engine.Generation;

/// <summary>
/// The prompt format an adapter was trained on, from its <c>lorabuild.json</c>: a question is rendered in it exactly as
/// the training run rendered its held-out prompts, so the adapter answers as its evaluation showed (an adapter trained
/// on Alpaca records answers nonsense to a bare ticket, and right to the same ticket in the Alpaca template).
/// </summary>
public sealed class AdapterPromptFormat
{
    private readonly PretrainedModel _model;
    private readonly DatasetReference? _chatDataset;
    private readonly string? _location;

    private AdapterPromptFormat(PretrainedModel model, DatasetFormat? format, DatasetReference? chatDataset, ManifestPrompt? shared, string? location)
    {
        _model = model;
        Format = format;
        _chatDataset = chatDataset;
        Instruction = shared?.Instruction;
        System = shared?.System;
        _location = location;
    }

    /// <summary>The format of every training dataset (alpaca, chat or text); null when unknown (no manifest) or mixed.</summary>
    public DatasetFormat? Format { get; }

    /// <summary>The instruction every Alpaca training record shared, filled in when a question gives none.</summary>
    public string? Instruction { get; }

    /// <summary>The system message every training conversation opened with, used when a question gives none.</summary>
    public string? System { get; }

    /// <param name="model">The loaded base and adapter (its tokenizer and chat template render the prompts).</param>
    /// <param name="manifest">The adapter's <c>lorabuild.json</c>; null when it has none (any template may then be asked for).</param>
    public static AdapterPromptFormat Of(PretrainedModel model, TrainingManifest? manifest)
    {
        ArgumentNullException.ThrowIfNull(model);
        var datasets = manifest?.Spec.Datasets ?? [];
        var formats = datasets.Select(dataset => DatasetFormats.Parse(dataset.Format)).Distinct().ToList();
        var chat = datasets.FirstOrDefault(dataset => DatasetFormats.Parse(dataset.Format) == DatasetFormat.Chat);
        return new AdapterPromptFormat(model, formats is [var only] ? only : null, chat, manifest?.Prompt, model.AdapterDirectory);
    }

    /// <summary>
    /// The question in the adapter's own format: for an Alpaca adapter, <paramref name="text"/> is the input to its shared
    /// instruction (or, when it had none, the instruction itself); for a chat adapter, the user message (after its shared
    /// system message); null for any other adapter, whose prompt is sent as it is.
    /// </summary>
    public GenerationCase? Default(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Format switch
        {
            DatasetFormat.Alpaca => Instruction is null ? Alpaca(text, string.Empty) : Alpaca(Instruction, text),
            DatasetFormat.Chat => Chat(text, System),
            _ => null,
        };
    }

    /// <summary>The Alpaca prompt for <paramref name="instruction"/> (the shared one when null) and <paramref name="input"/>.</summary>
    /// <param name="location">What to blame in an error (a flag); the adapter folder when null.</param>
    /// <exception cref="LoraException">LORA1360 for a chat adapter; LORA1361 without an instruction to use.</exception>
    public GenerationCase Alpaca(string? instruction, string input, string? location = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (Format == DatasetFormat.Chat)
        {
            throw new LoraException(
                PromptErrorCodes.PromptFormatMismatch,
                "The adapter was trained on chat conversations, not on Alpaca instructions and inputs: ask it with a user message (and a system message), or send the prompt raw.",
                location ?? _location);
        }

        instruction ??= Instruction ?? throw new LoraException(
            PromptErrorCodes.InstructionMissing,
            "An Alpaca prompt needs an instruction, and the adapter's training records did not all share one to fill in: give the instruction.",
            location ?? _location);
        return new GenerationCase(AlpacaTemplate.Prompt(instruction, input), Expected: string.Empty, PromptIncludesBos: false, Source: "prompt");
    }

    /// <summary>The chat prompt for one user <paramref name="message"/> after <paramref name="system"/> (the shared system message when null).</summary>
    /// <param name="location">What to blame in an error (a flag); the adapter folder when null.</param>
    /// <exception cref="LoraException">LORA1360 for an Alpaca adapter; a chat template error when the base model has none.</exception>
    public GenerationCase Chat(string message, string? system, string? location = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Format == DatasetFormat.Alpaca)
        {
            throw new LoraException(
                PromptErrorCodes.PromptFormatMismatch,
                "The adapter was trained on Alpaca instructions and inputs, not on chat conversations: ask it with an instruction and an input, or send the prompt raw.",
                location ?? _location);
        }

        var dataset = _chatDataset ?? new DatasetReference { Format = "chat" };
        var template = PreparedData.ChatTemplateFor(dataset, _model, _location ?? _model.Directory);
        List<ChatMessage> messages = (system ?? System) is { } systemMessage
            ? [new ChatMessage(ChatRole.System, systemMessage), new ChatMessage(ChatRole.User, message)]
            : [new ChatMessage(ChatRole.User, message)];
        return new GenerationCase(template.RenderPrompt(messages), Expected: string.Empty, template.IncludesBos, Source: "prompt");
    }

    /// <summary>The ids of a rendered prompt, as the evaluation feeds them to the model.</summary>
    public IReadOnlyList<int> PromptIds(GenerationCase prompt) => PromptTokens.Of(_model.Tokenizer, prompt);
}
