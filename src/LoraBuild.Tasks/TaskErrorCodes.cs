namespace LoraBuild.Tasks;

/// <summary>Codes for the MSBuild items and the LoraTrain task (range LORA1150–LORA1199).</summary>
public static class TaskErrorCodes
{
    /// <summary>A metadata value of a Lora item cannot be read as its type (a number, true/false, a list, a pattern map).</summary>
    public const string MetadataInvalid = "LORA1150";

    /// <summary>A LoraAdapter's BaseModel names no LoraBaseModel item, or it is empty while zero or several LoraBaseModel items exist.</summary>
    public const string BaseModelUnresolved = "LORA1151";

    /// <summary>A LoraAdapter's Datasets names a file that is not a LoraDataset item, or the project declares no LoraDataset.</summary>
    public const string DatasetUnresolved = "LORA1152";

    /// <summary>Two LoraAdapter items have the same name (the name is the output folder).</summary>
    public const string AdapterNameDuplicate = "LORA1154";

    /// <summary>A LoraEval item's Adapter names no LoraAdapter item.</summary>
    public const string EvalAdapterUnknown = "LORA1155";

    /// <summary>LoraSkipTraining is true but the adapter has never been trained, so there is nothing to use.</summary>
    public const string SkippedWithoutAdapter = "LORA1156";

    /// <summary>Warning: a LoraAdapter, LoraDataset, LoraEval or LoraBaseModel item has metadata LoraBuild does not know (a typo?); it is ignored.</summary>
    public const string UnknownMetadata = "LORA1157";

    /// <summary>A LoraAdapter's Seeds is not a whole number of at least 1, or its last seed (Seed + Seeds − 1) does not fit in a 32-bit integer.</summary>
    public const string SeedsInvalid = "LORA1158";
}
