namespace LoraBuild.Core.Gguf;

/// <summary>Constants of the GGUF container (version 3), as llama.cpp's <c>gguf.h</c> and gguf-py define them.</summary>
public static class GgufFormat
{
    /// <summary>The first four bytes: <c>GGUF</c>.</summary>
    public static ReadOnlySpan<byte> Magic => "GGUF"u8;

    /// <summary>The container version written.</summary>
    public const uint Version = 3;

    /// <summary>The alignment of the data section and of every tensor in it, unless <c>general.alignment</c> says otherwise.</summary>
    public const int DefaultAlignment = 32;

    /// <summary>The largest alignment this project writes or reads.</summary>
    public const uint MaxAlignment = 1 << 20;

    /// <summary>The key that overrides <see cref="DefaultAlignment"/>.</summary>
    public const string AlignmentKey = "general.alignment";

    /// <summary>ggml's limit on a tensor's dimensions.</summary>
    public const int MaxDimensions = 4;

    public static long Align(long offset, int alignment) => (offset + alignment - 1) / alignment * alignment;
}
