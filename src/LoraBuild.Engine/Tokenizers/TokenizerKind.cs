namespace LoraBuild.Engine.Tokenizers;

/// <summary>Which kind of tokenizer a model directory holds.</summary>
public enum TokenizerKind
{
    /// <summary>Byte-level BPE from tokenizer.json (GPT-2, Llama 3, Qwen2, SmolLM).</summary>
    ByteLevelBpe,

    /// <summary>SentencePiece-style BPE from tokenizer.json, with '▁' for spaces and usually byte fallback (Llama 2, TinyLlama, Mistral).</summary>
    SentencePieceBpe,

    /// <summary>A SentencePiece protobuf model read from tokenizer.model.</summary>
    SentencePieceModel,
}
