using System.Globalization;
using LoraBuild.Core.Adapters;
using LoraBuild.Core.Models;
using LoraBuild.Core.Tokenizers;
using LoraBuild.Engine.Checkpoints;
using LoraBuild.Engine.Lora;
using LoraBuild.Engine.Models;
using LoraBuild.Engine.Tests.Models;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Export;

/// <summary>
/// Micro models in exact Hugging Face layout (2 layers, width 32, 4 query heads of width 8, a byte-level tokenizer of
/// 300 tokens) and PEFT adapters on them, in temporary folders, for the GGUF export and llama.cpp parity tests.
/// </summary>
internal sealed class ParityCheckpoints : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "lorabuild-gguf-" + Guid.NewGuid().ToString("N"));

    public ParityCheckpoints() => Directory.CreateDirectory(_root);

    public string Folder(string name) => Path.Combine(_root, name);

    /// <summary>Writes a model folder and returns it.</summary>
    public string Model(
        string name, string architecture = "LlamaForCausalLM", int keyValueHeads = 2, bool tied = true, long seed = 3, string extraConfig = "", int layers = 2,
        double ropeTheta = 10000.0)
    {
        var directory = Folder(name);
        var companions = directory + ".src";
        Directory.CreateDirectory(companions);
        var vocabulary = ByteLevelBpeTrainer.Train(
            ["the order arrived late", "the kettle was broken", "please refund the order 4512", "Hello, world! How are you?"], 300, ["<|bos|>", "<|eos|>"]);
        File.WriteAllText(Path.Combine(companions, "tokenizer.json"), TokenizerJsonWriter.Write(vocabulary));
        File.WriteAllText(Path.Combine(companions, "tokenizer_config.json"), """{"bos_token": "<|bos|>", "eos_token": "<|eos|>", "add_bos_token": true}""");
        var modelType = Core.Models.ModelArchitectures.ByHuggingFaceClass(architecture)!.ModelType;
        var configJson = string.Create(CultureInfo.InvariantCulture, $$"""
            {
              "architectures": ["{{architecture}}"],
              "model_type": "{{modelType}}",
              "hidden_size": 32,
              "intermediate_size": 64,
              "num_hidden_layers": {{layers}},
              "num_attention_heads": 4,
              "num_key_value_heads": {{keyValueHeads}},
              "vocab_size": 300,
              "rms_norm_eps": 1e-5,
              "rope_theta": {{ropeTheta}},
              "max_position_embeddings": 256,
              "tie_word_embeddings": {{(tied ? "true" : "false")}},
              "bos_token_id": 298,
              "eos_token_id": 299,
              {{extraConfig}}
              "torch_dtype": "float32"
            }
            """);
        using var model = MicroModels.Create(ModelConfig.Parse(configJson), seed);
        CheckpointWriter.Write(directory, model, configJson, companions);
        Directory.Delete(companions, recursive: true);
        return directory;
    }

    /// <summary>Writes a PEFT adapter with random A and B for the model in <paramref name="modelDirectory"/> and returns its folder.</summary>
    public string Adapter(string name, string modelDirectory, LoraSettings settings, long seed = 5, double bStandardDeviation = 0.2)
    {
        var directory = Folder(name);
        using var loaded = PretrainedModel.Load(modelDirectory);
        using var init = new Generator(unchecked((ulong)seed), CPU);
        var adapter = LoraInjector.Apply(loaded.Model, settings with { Dropout = 0 }, init, dropoutGenerator: null);
        using (var values = new Generator(unchecked((ulong)seed + 1), CPU))
        using (no_grad())
        {
            foreach (var entry in adapter.Layers)
            {
                entry.Layer.LoraB.weight.normal_(0, bStandardDeviation, values);
            }
        }

        AdapterFiles.Save(directory, adapter, modelDirectory);
        return directory;
    }

    public static LoraSettings Settings(int rank = 4, double alpha = 8, bool rsLora = false, string targets = "all-linear") =>
        new() { Rank = rank, Alpha = alpha, UseRslora = rsLora, Targets = AdapterTargets.ParseSpec(targets) };

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
