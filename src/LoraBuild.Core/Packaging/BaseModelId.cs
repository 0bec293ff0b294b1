using LoraBuild.Core.Specs;

namespace LoraBuild.Core.Packaging;

/// <summary>The short name a package gives a base model: what <c>adapter_config.json</c>'s <c>base_model_name_or_path</c> records.</summary>
public static class BaseModelId
{
    /// <summary>The hub id when there is one, otherwise the name of the model's folder; empty when the spec names no base model.</summary>
    public static string Of(TrainingSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.BaseModel is not { } reference)
        {
            return string.Empty;
        }

        if (!string.IsNullOrEmpty(reference.HubId))
        {
            return reference.HubId;
        }

        return string.IsNullOrEmpty(reference.Path)
            ? string.Empty
            : Path.GetFileName(reference.Path.Replace('\\', '/').TrimEnd('/'));
    }
}
