namespace LoraBuild.Core.Gguf;

/// <summary>Codes for reading GGUF files (range LORA2060–LORA2069).</summary>
public static class GgufErrorCodes
{
    /// <summary>The file does not exist or cannot be opened.</summary>
    public const string FileNotFound = "LORA2060";

    /// <summary>The file does not start with the GGUF magic, or has a container version other than 2 or 3.</summary>
    public const string NotGguf = "LORA2061";

    /// <summary>The header, a metadata value or a tensor description is cut short, out of bounds or of an unknown type.</summary>
    public const string HeaderInvalid = "LORA2062";

    /// <summary>A tensor's data lies outside the file, overlaps another tensor, or is not aligned.</summary>
    public const string TensorDataInvalid = "LORA2063";
}
