namespace LoraBuild.Tasks.Items;

/// <summary>The item types and metadata names users write in project files.</summary>
internal static class LoraItemNames
{
    public const string BaseModel = "LoraBaseModel";
    public const string Dataset = "LoraDataset";
    public const string Adapter = "LoraAdapter";
    public const string Eval = "LoraEval";

    public const string PathMetadata = "Path";
    public const string HubIdMetadata = "HubId";
    public const string RevisionMetadata = "Revision";
    public const string FormatMetadata = "Format";
    public const string ChatTemplateMetadata = "ChatTemplate";
    public const string MetricMetadata = "Metric";
    public const string BaseModelMetadata = "BaseModel";
    public const string DatasetsMetadata = "Datasets";
    public const string AdapterMetadata = "Adapter";

    /// <summary>How many seeds to train a LoraAdapter under (a seed study); not a training setting, so not in the fingerprint.</summary>
    public const string SeedsMetadata = "Seeds";

    /// <summary>MSBuild's own metadata, present on every item; never a user's typo.</summary>
    public static readonly IReadOnlySet<string> WellKnownMetadata = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "FullPath", "RootDir", "Filename", "Extension", "RelativeDir", "Directory", "RecursiveDir", "Identity",
        "ModifiedTime", "CreatedTime", "AccessedTime", "DefiningProjectFullPath", "DefiningProjectDirectory",
        "DefiningProjectName", "DefiningProjectExtension", "OriginalItemSpec", "MSBuildSourceProjectFile", "MSBuildSourceTargetName",
    };
}
