using System.Reflection;
using LLama;
using LLama.Abstractions;
using LLama.Common;
using LLama.Native;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Export;
using LoraBuild.Core.Manifests;
using Microsoft.Extensions.AI;
using LoraAdapterHandle = LLama.Native.LoraAdapter;

namespace LoraBuild.LlamaCpp;

/// <summary>
/// A base model and a LoRA adapter, both GGUF files as <c>dotnet lora export</c> or a build's <c>Export="gguf"</c> wrote
/// them, running on llama.cpp. <see cref="ChatClient"/> answers through Microsoft.Extensions.AI in the prompt format the
/// adapter was trained with; <see cref="Answer"/> is the Alpaca shortcut LoraBuild's own <c>AdaptedModel</c> has.
/// Answers are greedy. Calls take turns: the model owns one llama.cpp context, with the adapter applied to it.
/// </summary>
public sealed class LlamaCppAdaptedModel : IDisposable
{
    private static readonly object s_logSetup = new();
    private static bool s_logsSilenced;

    private readonly LLamaWeights _weights;
    private readonly LLamaContext _context;
    private readonly SemaphoreSlim _turn = new(1, 1);

    private LlamaCppAdaptedModel(LLamaWeights weights, LLamaContext context, LlamaCppOptions options, string? promptFormat)
    {
        _weights = weights;
        _context = context;
        Options = options;
        PromptFormat = promptFormat;
        ChatClient = new AdapterChatClient(this);
    }

    public LlamaCppOptions Options { get; }

    /// <summary><c>alpaca</c>, a chat template's name, or null for plain text: how chat messages become the prompt.</summary>
    public string? PromptFormat { get; }

    /// <summary>Answers chat messages with the adapter, greedily; a system message is the Alpaca instruction.</summary>
    public IChatClient ChatClient { get; }

    /// <summary>
    /// Loads an adapter folder as a package copies it (<c>adapter.gguf</c>, and <c>lorabuild.json</c> for its prompt
    /// format) on <paramref name="baseModelGguf"/>, or on the <c>model.gguf</c> exported beside the adapter when null.
    /// </summary>
    /// <exception cref="LoraException">LORA2070: a GGUF file is missing; LORA2071: llama.cpp cannot load one.</exception>
    public static LlamaCppAdaptedModel LoadAdapterFolder(string adapterDirectory, string? baseModelGguf = null, LlamaCppOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(adapterDirectory);
        var adapterGguf = Path.Combine(adapterDirectory, "adapter.gguf");
        var baseGguf = baseModelGguf ?? Path.Combine(adapterDirectory, "model.gguf");
        var manifestPath = Path.Combine(adapterDirectory, TrainingManifest.FileName);
        string? format = null;
        if (File.Exists(manifestPath))
        {
            var datasets = TrainingManifestJson.ReadFile(manifestPath).Spec.Datasets;
            format = datasets.Count == 0 ? null : datasets[0].Format switch
            {
                "alpaca" => OllamaModelfile.AlpacaFormat,
                "chat" => datasets[0].ChatTemplate ?? "chat",
                _ => null,
            };
        }

        return Load(baseGguf, adapterGguf, format, options);
    }

    /// <summary>Loads <paramref name="baseModelGguf"/> with <paramref name="adapterGguf"/> applied at scale 1.</summary>
    /// <param name="promptFormat"><c>alpaca</c>; a chat template name (the model's own template is used); or null for plain text.</param>
    public static LlamaCppAdaptedModel Load(string baseModelGguf, string adapterGguf, string? promptFormat, LlamaCppOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(baseModelGguf);
        ArgumentException.ThrowIfNullOrEmpty(adapterGguf);
        options ??= new LlamaCppOptions();
        foreach (var path in new[] { baseModelGguf, adapterGguf })
        {
            if (!File.Exists(path))
            {
                throw new LoraException(LlamaCppErrorCodes.GgufNotFound, "No such GGUF file; export it with dotnet lora export or Export=\"gguf\".", path);
            }
        }

        SilenceLogs();
        var parameters = new ModelParams(baseModelGguf)
        {
            ContextSize = options.ContextSize,
            GpuLayerCount = options.GpuLayerCount,
            Threads = options.Threads,
            BatchThreads = options.Threads,
            TypeK = options.Float32KeyValueCache ? GGMLType.GGML_TYPE_F32 : null,
            TypeV = options.Float32KeyValueCache ? GGMLType.GGML_TYPE_F32 : null,
        };
        LLamaWeights weights;
        try
        {
            weights = LLamaWeights.LoadFromFile(parameters);
        }
        catch (Exception e) when (e is LLama.Exceptions.LoadWeightsFailedException or LLama.Exceptions.RuntimeError)
        {
            throw new LoraException(LlamaCppErrorCodes.LoadFailed, $"llama.cpp could not load the model: {e.Message}", baseModelGguf, e);
        }

        var context = weights.CreateContext(parameters);
        var adapter = weights.NativeHandle.LoadLoraFromFile(adapterGguf);
        if (NativePointer(adapter) == IntPtr.Zero)
        {
            // LLamaSharp returns an empty handle instead of failing, and applying it would crash the process.
            context.Dispose();
            weights.Dispose();
            throw new LoraException(LlamaCppErrorCodes.LoadFailed, "llama.cpp could not load the LoRA adapter (not a GGUF LoRA adapter for this model's architecture and shapes).", adapterGguf);
        }

        context.NativeHandle.SetLoraAdapters((adapter, 1.0f));
        return new LlamaCppAdaptedModel(weights, context, options, promptFormat);
    }

    /// <summary>The adapter's answer to an instruction and an input in the Alpaca format (greedy).</summary>
    public string Answer(string instruction, string input = "", int? maxNewTokens = null)
    {
        ArgumentNullException.ThrowIfNull(instruction);
        ArgumentNullException.ThrowIfNull(input);
        List<Microsoft.Extensions.AI.ChatMessage> messages = input.Length == 0
            ? [new(ChatRole.User, instruction)]
            : [new(ChatRole.System, instruction), new(ChatRole.User, input)];
        var options = new ChatOptions { MaxOutputTokens = maxNewTokens ?? Options.MaxNewTokens };
        return ChatClient.GetResponseAsync(messages, options).GetAwaiter().GetResult().Text;
    }

    public void Dispose()
    {
        _context.Dispose();
        _weights.Dispose();
        _turn.Dispose();
    }

    /// <summary>Runs <paramref name="ask"/> alone on the context, with its cache emptied and a fresh LLamaSharp chat client.</summary>
    internal async Task<T> OnFreshContext<T>(Func<IChatClient, Task<T>> ask)
    {
        await _turn.WaitAsync().ConfigureAwait(false);
        try
        {
            var executor = new SingleTurnExecutor(_context);
            using var client = executor.AsChatClient(HistoryTransform(), new IdentityTextTransform());
            return await ask(client).ConfigureAwait(false);
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>Alpaca as LoraBuild renders it; a chat format through the model's own template (in the GGUF); plain text as the last user message.</summary>
    private IHistoryTransform HistoryTransform() => PromptFormat switch
    {
        OllamaModelfile.AlpacaFormat => new AlpacaHistoryTransform(),
        null => new PlainTextHistoryTransform(),
        _ => new LLama.Transformers.PromptTemplateTransformer(_weights, withAssistant: true),
    };

    private static IntPtr NativePointer(LoraAdapterHandle adapter) =>
        (IntPtr)typeof(LoraAdapterHandle).GetProperty("Pointer", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(adapter)!;

    private static void SilenceLogs()
    {
        lock (s_logSetup)
        {
            if (!s_logsSilenced)
            {
                NativeLogConfig.llama_log_set((_, _) => { });
                s_logsSilenced = true;
            }
        }
    }
}
