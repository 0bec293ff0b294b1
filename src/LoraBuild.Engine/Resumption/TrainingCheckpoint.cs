using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Engine.SafeTensors;
using LoraBuild.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Resumption;

/// <summary>
/// Saves a <see cref="TrainingState"/> to one file and puts it back, bit for bit, so that a run continued from a
/// checkpoint takes exactly the steps an uninterrupted run would have taken. The file is safetensors: the trainable
/// parameters (<c>parameter/&lt;name&gt;</c>), every optimizer state tensor (<c>optimizer/&lt;name&gt;/&lt;key&gt;</c>)
/// and each random generator's state as bytes (<c>generator/&lt;name&gt;</c>); its metadata holds the fingerprint of
/// the run it belongs to, the position (optimizer step, epoch, micro-batch), the optimizer's step counts and the history
/// so far. The data order needs no saving: each epoch's order is a function of the seed and the epoch.
/// </summary>
public static class TrainingCheckpoint
{
    public const string Format = "lorabuild-training-checkpoint/1";

    private const string DropoutGenerator = "dropout";
    private const string LabelGenerator = "labels";
    private const string GlobalGenerator = "global";

    private static readonly JsonSerializerOptions HistoryJson = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>Writes <paramref name="state"/> to <paramref name="path"/> (the caller publishes it under its final name).</summary>
    /// <param name="globalGenerator">libtorch's default generator, which the job seeded; saved too, though no step is known to draw from it.</param>
    public static void Write(string path, TrainingState state, string fingerprint, Generator? globalGenerator)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentException.ThrowIfNullOrEmpty(fingerprint);
        using var scope = NewDisposeScope();
        var tensors = new List<KeyValuePair<string, Tensor>>();
        foreach (var (name, parameter) in state.Parameters)
        {
            tensors.Add(new($"parameter/{name}", parameter.detach()));
        }

        foreach (var parameter in state.Optimizer.Parameters)
        {
            foreach (var (key, tensor) in parameter.State)
            {
                tensors.Add(new($"optimizer/{parameter.Name}/{key}", tensor));
            }
        }

        foreach (var (name, generator) in Generators(state, globalGenerator))
        {
            tensors.Add(new($"generator/{name}", generator.get_state()));
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = Format,
            ["fingerprint"] = fingerprint,
            ["optimizer"] = state.Optimizer.Kind,
            ["optimizer_step"] = Number(state.OptimizerStep),
            ["epoch"] = Number(state.Epoch),
            ["batch_in_epoch"] = Number(state.BatchInEpoch),
            ["optimizer_step_count"] = Number(state.Optimizer.StepCount),
            ["parameter_steps"] = JsonSerializer.Serialize(state.Optimizer.Parameters.ToDictionary(p => p.Name, p => p.Steps, StringComparer.Ordinal)),
            ["history"] = JsonSerializer.Serialize(new SavedHistory(state.History.Steps, state.History.EvalLosses), HistoryJson),
        };
        if (state.Optimizer is SophiaOptimizer sophia)
        {
            metadata["hessian_updates"] = Number(sophia.HessianUpdates);
        }

        SafeTensorsWriter.Write(path, tensors, metadata);
    }

    /// <summary>
    /// Puts the checkpoint in <paramref name="file"/> into <paramref name="state"/>, a state built from the same spec,
    /// model and data. Nothing is changed unless every check passes: the file's hash, its format, its fingerprint, and
    /// every parameter, state tensor and generator it must hold, with the right shapes.
    /// </summary>
    public static CheckpointRestore Restore(CheckpointFile file, TrainingState state, string fingerprint, Generator? globalGenerator)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(state);
        if (!CheckpointFolder.IsIntact(file))
        {
            return CheckpointRestore.Unusable("its bytes are not the ones it was written with (truncated or changed since)");
        }

        try
        {
            using var reader = SafeTensorsReader.Open(file.Path);
            var metadata = reader.Metadata;
            if (Meta(metadata, "format") != Format)
            {
                return CheckpointRestore.Unusable($"it is not a {Format} file");
            }

            var saved = Meta(metadata, "fingerprint");
            if (saved != fingerprint)
            {
                return CheckpointRestore.Foreign(saved);
            }

            if (Meta(metadata, "optimizer") != state.Optimizer.Kind)
            {
                return CheckpointRestore.Unusable($"it holds {Meta(metadata, "optimizer")} state, but this run uses {state.Optimizer.Kind}");
            }

            using var scope = NewDisposeScope();
            var loaded = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (var (name, parameter) in state.Parameters)
            {
                if (!TryLoad(reader, $"parameter/{name}", parameter.shape, loaded, out var problem))
                {
                    return CheckpointRestore.Unusable(problem);
                }
            }

            foreach (var parameter in state.Optimizer.Parameters)
            {
                foreach (var (key, tensor) in parameter.State)
                {
                    if (!TryLoad(reader, $"optimizer/{parameter.Name}/{key}", tensor.shape, loaded, out var problem))
                    {
                        return CheckpointRestore.Unusable(problem);
                    }
                }
            }

            foreach (var (name, _) in Generators(state, globalGenerator))
            {
                if (!TryLoad(reader, $"generator/{name}", shape: null, loaded, out var problem))
                {
                    return CheckpointRestore.Unusable(problem);
                }
            }

            var expectedTensors = loaded.Count;
            if (reader.Tensors.Count != expectedTensors)
            {
                return CheckpointRestore.Unusable($"it holds {reader.Tensors.Count} tensors where this run has {expectedTensors}");
            }

            var parameterSteps = JsonSerializer.Deserialize<Dictionary<string, long>>(Meta(metadata, "parameter_steps") ?? "null");
            var history = JsonSerializer.Deserialize<SavedHistory>(Meta(metadata, "history") ?? "null", HistoryJson);
            if (parameterSteps is null || history is null || state.Optimizer.Parameters.Any(p => !parameterSteps.ContainsKey(p.Name)))
            {
                return CheckpointRestore.Unusable("its optimizer step counts or history are missing");
            }

            var optimizerStep = Integer(metadata, "optimizer_step");
            var epoch = Integer(metadata, "epoch");
            var batchInEpoch = Integer(metadata, "batch_in_epoch");
            var optimizerStepCount = Integer(metadata, "optimizer_step_count");
            var hessianUpdates = state.Optimizer is SophiaOptimizer ? Integer(metadata, "hessian_updates") : 0;
            if (optimizerStep > state.Plan.TotalSteps || batchInEpoch >= state.Plan.MicroBatchesPerEpoch || history.Steps.Count != optimizerStep)
            {
                return CheckpointRestore.Unusable($"its position (step {optimizerStep}, epoch {epoch}, batch {batchInEpoch}) does not fit this run's plan");
            }

            Apply(state, globalGenerator, loaded, parameterSteps, history);
            state.OptimizerStep = optimizerStep;
            state.Epoch = epoch;
            state.BatchInEpoch = batchInEpoch;
            state.Optimizer.StepCount = optimizerStepCount;
            if (state.Optimizer is SophiaOptimizer sophia)
            {
                sophia.HessianUpdates = hessianUpdates;
            }

            return CheckpointRestore.Restored(optimizerStep);
        }
        catch (Exception e) when (e is LoraException or JsonException or FormatException or IOException)
        {
            return CheckpointRestore.Unusable(e.Message);
        }
    }

    private static void Apply(
        TrainingState state,
        Generator? globalGenerator,
        Dictionary<string, Tensor> loaded,
        Dictionary<string, long> parameterSteps,
        SavedHistory history)
    {
        using (no_grad())
        {
            foreach (var (name, parameter) in state.Parameters)
            {
                parameter.copy_(loaded[$"parameter/{name}"]);
            }

            foreach (var parameter in state.Optimizer.Parameters)
            {
                foreach (var (key, tensor) in parameter.State)
                {
                    tensor.copy_(loaded[$"optimizer/{parameter.Name}/{key}"]);
                }

                parameter.Steps = parameterSteps[parameter.Name];
            }
        }

        foreach (var (name, generator) in Generators(state, globalGenerator))
        {
            generator.set_state(loaded[$"generator/{name}"]);
        }

        state.History.Restore(history.Steps, history.EvalLosses);
    }

    private static bool TryLoad(SafeTensorsReader reader, string name, long[]? shape, Dictionary<string, Tensor> loaded, out string problem)
    {
        if (!reader.TryGetTensor(name, out var info))
        {
            problem = $"it has no tensor '{name}'";
            return false;
        }

        if (shape is not null && !info.Shape.SequenceEqual(shape))
        {
            problem = $"its tensor '{name}' has shape [{string.Join(", ", info.Shape)}], not [{string.Join(", ", shape)}]";
            return false;
        }

        loaded[name] = reader.LoadTensor(name);
        problem = "";
        return true;
    }

    private static IEnumerable<(string Name, Generator Generator)> Generators(TrainingState state, Generator? globalGenerator)
    {
        yield return (DropoutGenerator, state.DropoutGenerator);
        if (state.LabelGenerator is not null)
        {
            yield return (LabelGenerator, state.LabelGenerator);
        }

        if (globalGenerator is not null)
        {
            yield return (GlobalGenerator, globalGenerator);
        }
    }

    private static string? Meta(IReadOnlyDictionary<string, string> metadata, string key) => metadata.TryGetValue(key, out var value) ? value : null;

    private static int Integer(IReadOnlyDictionary<string, string> metadata, string key) =>
        int.Parse(Meta(metadata, key) ?? throw new FormatException($"The metadata has no '{key}'."), NumberStyles.None, CultureInfo.InvariantCulture);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed record SavedHistory(IReadOnlyList<StepRecord> Steps, IReadOnlyList<EvalLossRecord> EvalLosses);
}

/// <summary>What became of an attempt to continue from a checkpoint.</summary>
/// <param name="Step">The optimizer steps restored, when <see cref="IsRestored"/>.</param>
/// <param name="ForeignFingerprint">The fingerprint a checkpoint of another run carries.</param>
/// <param name="Problem">Why the checkpoint could not be used.</param>
public sealed record CheckpointRestore(bool IsRestored, int Step, string? ForeignFingerprint, string? Problem)
{
    public static CheckpointRestore Restored(int step) => new(true, step, null, null);

    public static CheckpointRestore Foreign(string? fingerprint) => new(false, 0, fingerprint ?? "none", null);

    public static CheckpointRestore Unusable(string problem) => new(false, 0, null, problem);
}
