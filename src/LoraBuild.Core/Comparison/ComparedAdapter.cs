using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Manifests;

namespace LoraBuild.Core.Comparison;

/// <summary>One row of a comparison: an adapter folder and its manifest.</summary>
public sealed record ComparedAdapter(string Folder, TrainingManifest Manifest)
{
    /// <summary>Reads the manifest of <paramref name="folder"/>; an unreadable one is <see cref="ComparisonErrorCodes.ManifestUnreadable"/> naming the file.</summary>
    public static ComparedAdapter Read(string folder)
    {
        var path = Path.Combine(folder, TrainingManifest.FileName);
        try
        {
            var manifest = TrainingManifestJson.ReadFile(path);
            // Deserialization leaves required members null when the file is JSON of another shape.
            if (manifest.Spec is null || manifest.Metrics?.Train is null || manifest.Metrics.Eval?.Before is null || manifest.Metrics.Eval.After is null || manifest.AdapterName is null)
            {
                throw new LoraException(ComparisonErrorCodes.ManifestUnreadable, "The manifest lacks its spec, adapter name or metrics; is it a lorabuild.json of another version? Train the adapter again.", path);
            }

            return new ComparedAdapter(Path.GetFullPath(folder), manifest);
        }
        catch (LoraException e) when (e.Code == ManifestErrorCodes.ManifestUnreadable)
        {
            throw new LoraException(ComparisonErrorCodes.ManifestUnreadable, $"{e.Message} Train the adapter again, or leave its folder out.", path, e);
        }
    }
}
