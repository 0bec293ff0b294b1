namespace LoraBuild.Core.Manifests;

/// <summary>Codes for adapter manifests (range LORA4001–LORA4009).</summary>
public static class ManifestErrorCodes
{
    /// <summary>lorabuild.json could not be read: missing, not JSON, or an incompatible layout.</summary>
    public const string ManifestUnreadable = "LORA4001";
}
