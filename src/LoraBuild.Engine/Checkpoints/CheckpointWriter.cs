using LoraBuild.Engine.Models;
using LoraBuild.Engine.SafeTensors;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Checkpoints;

/// <summary>
/// Writes a model in Hugging Face layout: <c>config.json</c>, <c>model.safetensors</c> (or shards with an
/// index), and any tokenizer and generation files copied from a source folder. The folder is assembled under a
/// temporary name beside the target and renamed into place, so a failure leaves no half-written model behind.
/// </summary>
public static class CheckpointWriter
{
    /// <summary>The tokenizer and generation files a model folder carries besides config and weights.</summary>
    public static IReadOnlyList<string> CompanionFiles { get; } =
        ["tokenizer.json", "tokenizer.model", "tokenizer_config.json", "special_tokens_map.json", "generation_config.json"];

    private static readonly Dictionary<string, string> s_metadata = new() { ["format"] = "pt" };

    /// <param name="directory">The model folder to create; an existing folder there is replaced.</param>
    /// <param name="model">The model whose parameters are written.</param>
    /// <param name="configJson">The text of <c>config.json</c>.</param>
    /// <param name="companionSource">A folder to copy <see cref="CompanionFiles"/> from, or null.</param>
    /// <param name="maxShardBytes">Split the weights into shards of at most this many bytes; null writes one file.</param>
    /// <param name="dtype">The dtype the weights are written in; null keeps each parameter's own.</param>
    public static void Write(string directory, CausalLanguageModel model, string configJson, string? companionSource, long? maxShardBytes = null, ScalarType? dtype = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var target = Path.GetFullPath(directory);
        var staging = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(staging);
        try
        {
            File.WriteAllText(Path.Combine(staging, "config.json"), configJson);
            using (var scope = NewDisposeScope())
            {
                var weights = model.state_dict().Select(pair => KeyValuePair.Create(
                    pair.Key, dtype is { } type && pair.Value.dtype != type ? pair.Value.detach().to_type(type) : pair.Value.detach()));
                if (maxShardBytes is { } shardBytes)
                {
                    ShardedSafeTensorsWriter.Write(staging, weights, shardBytes, s_metadata);
                }
                else
                {
                    SafeTensorsWriter.Write(Path.Combine(staging, SafeTensorsModel.SingleFileName), weights, s_metadata);
                }
            }

            if (companionSource is not null)
            {
                foreach (var name in CompanionFiles.Where(name => File.Exists(Path.Combine(companionSource, name))))
                {
                    File.Copy(Path.Combine(companionSource, name), Path.Combine(staging, name));
                }
            }

            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }

            Directory.Move(staging, target);
        }
        catch
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            throw;
        }
    }
}
