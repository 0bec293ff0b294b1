namespace LoraBuild.Engine.Jobs;

/// <summary>Warnings a training job reports without stopping (range LORA3060–LORA3069).</summary>
public static class JobWarningCodes
{
    /// <summary>Some examples had no response token within maxSequenceLength and were left out.</summary>
    public const string ExamplesDropped = "LORA3060";

    /// <summary>A chat dataset's template ends an answer with a marker that is not one of the model's end-of-sequence tokens, so generation would not stop there.</summary>
    public const string ChatEndIsNoStopToken = "LORA3061";
}
