using System.Xml;
using System.Xml.Linq;

namespace LoraBuild.Tasks.Items;

/// <summary>
/// Finds the XML element that declared an item, so an error can name file, line and column: MSBuild hands tasks
/// items without positions, but it does say which file defined each one (<c>DefiningProjectFullPath</c>).
/// </summary>
internal sealed class ItemLocator
{
    private readonly Dictionary<string, XDocument?> _documents = new(StringComparer.Ordinal);

    /// <param name="itemType">The element name, e.g. <c>LoraAdapter</c>.</param>
    /// <param name="include">The item's evaluated Include (its item spec).</param>
    /// <param name="metadataName">When given, the attribute or child element of that metadata is located instead of the item.</param>
    /// <param name="candidateFiles">Files to search in order: the defining file first, then the project file; the last one is the fallback.</param>
    public ItemLocation Locate(string itemType, string include, string? metadataName, IReadOnlyList<string> candidateFiles)
    {
        ArgumentNullException.ThrowIfNull(candidateFiles);
        foreach (var file in candidateFiles.Where(f => !string.IsNullOrEmpty(f)).Distinct(StringComparer.Ordinal))
        {
            if (Load(file) is not { } document)
            {
                continue;
            }

            var element = document.Descendants()
                .FirstOrDefault(e => e.Name.LocalName == itemType && IncludeNames(e, include, Path.GetDirectoryName(file)!));
            if (element is not null)
            {
                return metadataName is not null && FindMetadata(element, metadataName) is { } metadata
                    ? Position(file, metadata)
                    : Position(file, element);
            }
        }

        return new ItemLocation(candidateFiles.LastOrDefault(f => !string.IsNullOrEmpty(f)) ?? itemType, 0, 0);
    }

    private static bool IncludeNames(XElement element, string include, string directory)
    {
        var attribute = element.Attribute("Include");
        if (attribute is null)
        {
            return false;
        }

        return attribute.Value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Any(written => SameItem(written, include, directory));
    }

    private static bool SameItem(string written, string include, string directory)
    {
        if (string.Equals(written, include, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // Paths written with other separators or a leading ./ still name the same file.
        try
        {
            return string.Equals(Normalize(written, directory), Normalize(include, directory), StringComparison.Ordinal);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return false;
        }
    }

    private static string Normalize(string path, string directory) =>
        Path.GetFullPath(Path.Combine(directory, path.Replace('\\', '/')));

    private static XObject? FindMetadata(XElement element, string metadataName) =>
        (XObject?)element.Attributes().FirstOrDefault(a => string.Equals(a.Name.LocalName, metadataName, StringComparison.OrdinalIgnoreCase))
        ?? element.Elements().FirstOrDefault(e => string.Equals(e.Name.LocalName, metadataName, StringComparison.OrdinalIgnoreCase));

    private static ItemLocation Position(string file, IXmlLineInfo node) =>
        node.HasLineInfo() ? new ItemLocation(file, node.LineNumber, node.LinePosition) : new ItemLocation(file, 0, 0);

    private XDocument? Load(string file)
    {
        if (!_documents.TryGetValue(file, out var document))
        {
            try
            {
                document = XDocument.Load(file, LoadOptions.SetLineInfo);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or XmlException)
            {
                document = null;
            }

            _documents[file] = document;
        }

        return document;
    }
}
