namespace LoraBuild.Engine.Jobs;

/// <summary>Warnings a training job reports without stopping (range LORA3060–LORA3069).</summary>
public static class JobWarningCodes
{
    /// <summary>Some examples had no response token within maxSequenceLength and were left out.</summary>
    public const string ExamplesDropped = "LORA3060";
}
