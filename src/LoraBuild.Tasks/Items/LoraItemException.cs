using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Tasks.Items;

/// <summary>A problem with one item: the task turns it into an error located at that item's element (or metadata) in the project.</summary>
public sealed class LoraItemException : LoraException
{
    public LoraItemException(string code, string message, LoraItemReference item, string? metadataName = null, Exception? innerException = null)
        : base(code, message, item.ToString(), innerException)
    {
        Item = item;
        MetadataName = metadataName;
    }

    public LoraItemReference Item { get; }

    /// <summary>The metadata at fault (<c>Rank</c>, <c>Datasets</c>…), when one is.</summary>
    public string? MetadataName { get; }
}

/// <summary>An item by type, Include and the file that defined it.</summary>
public sealed record LoraItemReference(string ItemType, string Include, string? DefiningFile)
{
    public override string ToString() => $"{ItemType} '{Include}'";
}
