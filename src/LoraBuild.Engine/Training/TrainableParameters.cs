using LoraBuild.Core.Training;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Specs;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Training;

/// <summary>Decides which parameters a run trains and which of them take weight decay.</summary>
public static class TrainableParameters
{
    /// <summary>
    /// The parameters to train, by name, in the model's order. <c>full</c>: every parameter, each switched to require a
    /// gradient; all must be float32. <c>lora</c>: the parameters that already require a gradient (the adapters,
    /// with the base frozen); there must be at least one, and all must be float32.
    /// </summary>
    /// <exception cref="LoraException">
    /// <see cref="TrainingSettingErrorCodes.FullFineTuningNeedsFp32"/>, <see cref="TrainingErrorCodes.NoTrainableParameters"/> or
    /// <see cref="TrainingErrorCodes.TrainableParameterNotFloat32"/>.
    /// </exception>
    public static IReadOnlyList<(string Name, Parameter Parameter)> Select(nn.Module model, string mode)
    {
        ArgumentNullException.ThrowIfNull(model);
        var all = model.named_parameters().ToList();
        if (mode == TrainingModes.Full)
        {
            var notFloat32 = all.FirstOrDefault(pair => pair.parameter.dtype != ScalarType.Float32);
            if (notFloat32.parameter is not null)
            {
                throw new LoraException(
                    TrainingSettingErrorCodes.FullFineTuningNeedsFp32,
                    $"Full fine-tuning needs float32 weights, but '{notFloat32.name}' is {notFloat32.parameter.dtype}. Use precision fp32, or mode lora.",
                    notFloat32.name);
            }

            foreach (var (_, parameter) in all)
            {
                parameter.requires_grad = true;
            }

            return [.. all.Select(pair => (pair.name, pair.parameter))];
        }

        if (mode != TrainingModes.Lora)
        {
            throw new LoraException(
                TrainingSettingErrorCodes.TrainingSettingInvalid, $"Unknown training mode '{mode}'; expected {string.Join(" or ", TrainingModes.All)}.");
        }

        var trainable = all.Where(pair => pair.parameter.requires_grad).Select(pair => (pair.name, pair.parameter)).ToList();
        if (trainable.Count == 0)
        {
            throw new LoraException(
                TrainingErrorCodes.NoTrainableParameters,
                "No parameter of the model requires a gradient; LoRA training needs adapters on a frozen base model.");
        }

        var wrongType = trainable.FirstOrDefault(pair => pair.parameter.dtype != ScalarType.Float32);
        if (wrongType.parameter is not null)
        {
            throw new LoraException(
                TrainingErrorCodes.TrainableParameterNotFloat32,
                $"Trainable parameters must be float32 (optimizer state and updates are float32), but '{wrongType.name}' is {wrongType.parameter.dtype}.",
                wrongType.name);
        }

        return trainable;
    }

    /// <summary>
    /// Whether weight decay applies: to matrices (embeddings, projections, LoRA A and B) and not to vectors (biases and
    /// norm weights), the same split Hugging Face's Trainer makes.
    /// </summary>
    public static bool TakesWeightDecay(string name, Parameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return parameter.dim() >= 2;
    }
}
