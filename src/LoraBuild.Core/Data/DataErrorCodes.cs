namespace LoraBuild.Core.Data;

/// <summary>Error codes for training data: dataset files, records, prompt templates and sequences (range LORA1100–LORA1149).</summary>
public static class DataErrorCodes
{
    /// <summary>The dataset file does not exist or cannot be read.</summary>
    public const string DatasetUnreadable = "LORA1100";

    /// <summary>The dataset file holds no records (empty file, only blank lines, or an empty JSON array).</summary>
    public const string DatasetEmpty = "LORA1101";

    /// <summary>A record (or the whole <c>.json</c> file) is not valid JSON.</summary>
    public const string MalformedJson = "LORA1102";

    /// <summary>A record is valid JSON but not a JSON object.</summary>
    public const string RecordNotObject = "LORA1103";

    /// <summary>A <c>.json</c> dataset file does not hold a JSON array of records.</summary>
    public const string JsonRootNotArray = "LORA1104";

    /// <summary>A record lacks a field its format requires.</summary>
    public const string FieldMissing = "LORA1105";

    /// <summary>A record field has the wrong JSON type.</summary>
    public const string FieldWrongType = "LORA1106";

    /// <summary>A record field that must not be empty is empty (a text document, a conversation).</summary>
    public const string FieldEmpty = "LORA1107";

    /// <summary>A chat message has a role other than <c>system</c>, <c>user</c> or <c>assistant</c>.</summary>
    public const string ChatRoleInvalid = "LORA1108";

    /// <summary>Chat messages are out of order: an optional system message first, then user and assistant alternating, starting with user and ending with assistant.</summary>
    public const string ChatOrderInvalid = "LORA1109";

    /// <summary>The dataset file's extension does not fit its format (<c>.json</c>, <c>.jsonl</c>, or <c>.txt</c> for text).</summary>
    public const string UnsupportedFileExtension = "LORA1110";

    /// <summary>The dataset format name is not <c>alpaca</c>, <c>chat</c> or <c>text</c>.</summary>
    public const string UnknownDatasetFormat = "LORA1111";

    /// <summary>The chat template name is not one LoraBuild implements.</summary>
    public const string UnknownChatTemplate = "LORA1112";

    /// <summary>A <c>chat_template</c> (from <c>tokenizer_config.json</c>) matches none of the templates LoraBuild implements, or more than one.</summary>
    public const string ChatTemplateNotRecognized = "LORA1113";

    /// <summary><c>tokenizer_config.json</c> cannot be read, is not a JSON object, or has no usable <c>chat_template</c>.</summary>
    public const string TokenizerConfigChatTemplateMissing = "LORA1114";

    /// <summary>A chat dataset is used without a chat template.</summary>
    public const string ChatTemplateRequired = "LORA1115";

    /// <summary>A sequence or batching setting is out of range (maximum sequence length, batch size, eval fraction).</summary>
    public const string DataSettingInvalid = "LORA1116";

    /// <summary>Every example was dropped because not one target token fits in the maximum sequence length.</summary>
    public const string NoExampleFits = "LORA1117";

    /// <summary>A model's chat template does not render an assistant message's content verbatim, so its tokens cannot be marked as targets.</summary>
    public const string ChatTemplateTargetNotFound = "LORA1118";
}
