namespace LoraBuild.Engine.Training;

/// <summary>Codes for the trainer, its optimizers and evaluation (range LORA3022–LORA3039; LORA3020 and LORA3021 are in Core's <see cref="Core.Training.TrainingSettingErrorCodes"/>).</summary>
public static class TrainingErrorCodes
{
    /// <summary>LoRA mode found no parameter that requires a gradient: no adapters were added to the model.</summary>
    public const string NoTrainableParameters = "LORA3022";

    /// <summary>A trainable parameter is not float32; optimizer state and updates are kept in float32.</summary>
    public const string TrainableParameterNotFloat32 = "LORA3023";

    /// <summary>The training data yields no batch.</summary>
    public const string NoTrainingData = "LORA3024";

    /// <summary>The batches of one optimizer step contain no target token, so there is no loss to minimize.</summary>
    public const string NoTargetTokens = "LORA3025";

    /// <summary>The loss or the gradient norm became NaN or infinite; the step was not applied.</summary>
    public const string TrainingDiverged = "LORA3026";

    /// <summary>The evaluation batches contain no target token.</summary>
    public const string EvaluationHasNoTargets = "LORA3027";

    /// <summary>The optimizer named in the spec is not one the engine has.</summary>
    public const string UnknownOptimizer = "LORA3028";

    /// <summary>A batch is malformed: its arrays do not match its shape, or a target or real token follows padding.</summary>
    public const string BatchInvalid = "LORA3029";
}
