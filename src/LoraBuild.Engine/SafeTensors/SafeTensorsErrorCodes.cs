namespace LoraBuild.Engine.SafeTensors;

/// <summary>
/// Error codes for reading and writing safetensors files and sharded checkpoints (range LORA2001–LORA2029).
/// </summary>
public static class SafeTensorsErrorCodes
{
    /// <summary>The file is shorter than the 8-byte header-length prefix.</summary>
    public const string FileTooSmall = "LORA2001";

    /// <summary>The header length in the prefix exceeds the 100 MB limit.</summary>
    public const string HeaderTooLarge = "LORA2002";

    /// <summary>The header length in the prefix reaches past the end of the file.</summary>
    public const string HeaderExceedsFile = "LORA2003";

    /// <summary>The header bytes are not valid UTF-8.</summary>
    public const string HeaderNotUtf8 = "LORA2004";

    /// <summary>The header does not start with '{': it is not a JSON object.</summary>
    public const string HeaderNotJsonObject = "LORA2005";

    /// <summary>The header is not well-formed JSON (syntax error, trailing content, nesting too deep).</summary>
    public const string HeaderMalformedJson = "LORA2006";

    /// <summary><c>__metadata__</c> is not a map of strings to strings, or repeats a key.</summary>
    public const string MetadataInvalid = "LORA2007";

    /// <summary>Two tensors have the same name.</summary>
    public const string DuplicateTensorName = "LORA2008";

    /// <summary>A tensor entry is not an object, lacks <c>dtype</c>, <c>shape</c> or <c>data_offsets</c>, or repeats one.</summary>
    public const string TensorEntryMalformed = "LORA2009";

    /// <summary>A tensor's <c>dtype</c> is not a known safetensors dtype name.</summary>
    public const string UnknownDType = "LORA2010";

    /// <summary>A tensor's <c>shape</c> is not an array of non-negative integers.</summary>
    public const string InvalidShape = "LORA2011";

    /// <summary>A tensor's <c>data_offsets</c> is not a pair of non-negative integers.</summary>
    public const string InvalidDataOffsets = "LORA2012";

    /// <summary>A tensor's <c>data_offsets</c> has its begin after its end.</summary>
    public const string DataOffsetsReversed = "LORA2013";

    /// <summary>A tensor's element count or byte size overflows a 64-bit integer.</summary>
    public const string TensorSizeOverflow = "LORA2014";

    /// <summary>A tensor's byte range does not match product(shape) × dtype size.</summary>
    public const string TensorSizeMismatch = "LORA2015";

    /// <summary>The tensors' byte ranges leave a gap (or the first does not start at 0).</summary>
    public const string DataOffsetsGap = "LORA2016";

    /// <summary>Two tensors' byte ranges overlap.</summary>
    public const string DataOffsetsOverlap = "LORA2017";

    /// <summary>The tensors' byte ranges reach past the end of the file (the file is truncated).</summary>
    public const string DataExceedsFile = "LORA2018";

    /// <summary>The data section has bytes after the last tensor that no tensor covers.</summary>
    public const string TrailingData = "LORA2019";

    /// <summary>A requested tensor name is not in the file or checkpoint.</summary>
    public const string TensorNotFound = "LORA2020";

    /// <summary>A dtype has no TorchSharp equivalent (loading), or a tensor's dtype has no safetensors name (writing).</summary>
    public const string DTypeNotSupported = "LORA2021";

    /// <summary>A safetensors file or index file does not exist.</summary>
    public const string FileNotFound = "LORA2022";

    /// <summary>Reading tensor data failed: an I/O error, or the file changed after it was opened.</summary>
    public const string ReadFailed = "LORA2023";

    /// <summary>A sharded-checkpoint index is not valid JSON of the form <c>{"metadata": {...}, "weight_map": {name: file}}</c>.</summary>
    public const string ShardIndexMalformed = "LORA2024";

    /// <summary>A shard file named in the index does not exist.</summary>
    public const string ShardFileMissing = "LORA2025";

    /// <summary>A tensor the index maps to a shard is not in that shard.</summary>
    public const string ShardTensorMissing = "LORA2026";

    /// <summary>A shard file named in the index lies outside the index's directory.</summary>
    public const string ShardPathOutsideDirectory = "LORA2027";

    /// <summary>A model directory holds neither <c>model.safetensors</c> nor <c>model.safetensors.index.json</c>.</summary>
    public const string ModelWeightsNotFound = "LORA2028";

    /// <summary>A tensor to write has an empty name or the reserved name <c>__metadata__</c>.</summary>
    public const string InvalidTensorName = "LORA2029";
}
