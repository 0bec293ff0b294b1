using LoraBuild.Core.Models;
using LoraBuild.Engine.Models;
using LoraBuild.Engine.Native;
using LoraBuild.Engine.SafeTensors;
using LoraBuild.Engine.Tokenizers;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Checkpoints;

/// <summary>
/// A model directory in Hugging Face layout, loaded: <c>config.json</c>, <c>model.safetensors</c> or a sharded
/// <c>model.safetensors.index.json</c>, the tokenizer files and <c>generation_config.json</c>.
/// </summary>
public sealed class PretrainedModel : IDisposable
{
    private PretrainedModel(string directory, ModelConfig config, CausalLanguageModel model, HuggingFaceTokenizer tokenizer, GenerationConfig generation)
    {
        Directory = directory;
        Config = config;
        Model = model;
        Tokenizer = tokenizer;
        Generation = generation;
    }

    public string Directory { get; }

    public ModelConfig Config { get; }

    public CausalLanguageModel Model { get; }

    public HuggingFaceTokenizer Tokenizer { get; }

    public GenerationConfig Generation { get; }

    /// <summary>Every id that ends a generation: the tokenizer's, config.json's and generation_config.json's eos ids.</summary>
    public IReadOnlySet<int> EosTokenIds =>
        Tokenizer.EosTokenIds.Concat(Config.EosTokenIds).Concat(Generation.EosTokenIds).ToHashSet();

    /// <summary>
    /// Loads the model in <paramref name="dtype"/> (default: float32) on <paramref name="device"/> (default: CPU),
    /// in evaluation mode. Tensors are read one at a time straight from the file into the model's dtype.
    /// </summary>
    public static PretrainedModel Load(string directory, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        TorchRuntime.EnsureLoaded();
        var fullPath = Path.GetFullPath(directory);
        var config = ModelConfig.Load(Path.Combine(fullPath, "config.json"));
        var tokenizer = HuggingFaceTokenizer.Load(fullPath);
        var generation = GenerationConfig.Load(fullPath);
        var model = CausalLanguageModel.Create(config, dtype, device ?? CPU);
        try
        {
            using var reader = SafeTensorsModel.Open(fullPath);
            using var scope = NewDisposeScope();
            var tensors = reader.LoadTensors(dtype: dtype);
            model.LoadStateDict(tensors, SafeTensorsModel.FindWeights(fullPath));
        }
        catch
        {
            model.Dispose();
            throw;
        }

        model.eval();
        return new PretrainedModel(fullPath, config, model, tokenizer, generation);
    }

    public void Dispose() => Model.Dispose();
}
