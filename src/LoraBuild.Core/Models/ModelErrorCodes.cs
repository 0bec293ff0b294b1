namespace LoraBuild.Core.Models;

/// <summary>Error codes for model configurations, model weights and generation (range LORA2030–LORA2049).</summary>
public static class ModelErrorCodes
{
    /// <summary>A model's <c>config.json</c> cannot be read or is not a JSON object.</summary>
    public const string ConfigUnreadable = "LORA2030";

    /// <summary>The architecture named in <c>config.json</c> is not one the engine implements.</summary>
    public const string UnsupportedArchitecture = "LORA2031";

    /// <summary>A field that <c>config.json</c> must provide is missing.</summary>
    public const string ConfigFieldMissing = "LORA2032";

    /// <summary>A field in <c>config.json</c> has the wrong JSON type or an impossible value.</summary>
    public const string ConfigFieldInvalid = "LORA2033";

    /// <summary>The <c>rope_scaling</c> kind in <c>config.json</c> is not one the engine implements for the family (for Phi-3 none is: longrope/su are refused).</summary>
    public const string UnsupportedRopeScaling = "LORA2034";

    /// <summary>A weight the model needs is not in the checkpoint.</summary>
    public const string WeightMissing = "LORA2035";

    /// <summary>A weight in the checkpoint has a different shape than the configuration implies.</summary>
    public const string WeightShapeMismatch = "LORA2036";

    /// <summary>The checkpoint holds a tensor the model does not have.</summary>
    public const string WeightUnexpected = "LORA2037";

    /// <summary>A sampling setting for generation is out of range.</summary>
    public const string SamplingSettingInvalid = "LORA2038";

    /// <summary>The input given to the model is malformed: wrong rank, empty, or longer than the cache allows.</summary>
    public const string ModelInputInvalid = "LORA2039";

    /// <summary>config.json turns on a feature the engine does not implement for this family (soft-capping, partial rotary embeddings, attention, residual or embedding dropout, …); the key is named.</summary>
    public const string UnsupportedConfigFeature = "LORA2058";
}
