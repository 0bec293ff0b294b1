namespace LoraBuild.Core.Packaging;

/// <summary>Codes for adapter packages: packing them and finding adapters in them (range LORA4100–LORA4199).</summary>
public static class PackagingErrorCodes
{
    /// <summary>A trained adapter folder handed to pack lacks one of the files a package carries (<c>adapter_config.json</c>, <c>adapter_model.safetensors</c>, <c>lorabuild.json</c>).</summary>
    public const string AdapterFileMissing = "LORA4101";

    /// <summary>An adapter's name cannot be a folder name inside a package (empty, a path separator, <c>..</c>, or characters outside letters, digits, <c>.</c>, <c>_</c> and <c>-</c>).</summary>
    public const string AdapterNameInvalid = "LORA4102";

    /// <summary>Two adapters in one package have the same name (compared without case, as package paths are).</summary>
    public const string AdapterNameDuplicate = "LORA4103";

    /// <summary>The project declares <c>LoraAdapter</c> items but training produced no adapter to pack.</summary>
    public const string NothingToPack = "LORA4104";

    /// <summary>The fingerprint the build computed for an adapter differs from the one in its <c>lorabuild.json</c>: the adapter folder is stale.</summary>
    public const string FingerprintMismatch = "LORA4105";

    /// <summary>An adapter location (folder, extracted package or <c>.nupkg</c>) does not exist.</summary>
    public const string LocationNotFound = "LORA4110";

    /// <summary>A package or folder holds no adapter under <c>lora/</c>, or not the one asked for.</summary>
    public const string AdapterNotInPackage = "LORA4111";

    /// <summary>A package holds several adapters and no adapter name was given to choose one.</summary>
    public const string AdapterAmbiguous = "LORA4112";

    /// <summary>A <c>.nupkg</c> file is not a readable zip archive, or an entry in it cannot be extracted safely.</summary>
    public const string PackageUnreadable = "LORA4113";

    /// <summary>The adapter was trained on another base model and the caller asked for a strict check.</summary>
    public const string BaseModelMismatch = "LORA4114";
}
