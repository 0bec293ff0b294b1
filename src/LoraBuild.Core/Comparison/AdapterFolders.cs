using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Manifests;

namespace LoraBuild.Core.Comparison;

/// <summary>
/// Finds adapter folders (folders holding <c>lorabuild.json</c>) for <c>compare</c>. Each path is one of:
/// <list type="bullet">
/// <item>an adapter folder, or its <c>lorabuild.json</c>: that adapter;</item>
/// <item>a project folder (it holds a <c>*.*proj</c> file): the adapters its build trained, <c>obj/lora/adapters/*</c>,
/// and not the copies under <c>bin/</c> or the extra seeds under <c>obj/lora/seeds/</c>;</item>
/// <item>any other folder (say, the output of <c>train --seeds</c>): every adapter folder below it.</item>
/// </list>
/// Hidden folders (the engine's unfinished results) are skipped. The result is in ordinal path order without duplicates.
/// </summary>
public static class AdapterFolders
{
    public static IReadOnlyList<string> Find(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var found = new SortedSet<string>(StringComparer.Ordinal);
        var given = paths.ToList();
        foreach (var path in given)
        {
            var full = Path.GetFullPath(path);
            if (File.Exists(full) && Path.GetFileName(full) == TrainingManifest.FileName)
            {
                found.Add(Path.GetDirectoryName(full)!);
            }
            else if (!Directory.Exists(full))
            {
                throw new LoraException(ComparisonErrorCodes.ComparePathNotFound, "The path does not exist, or is a file other than lorabuild.json.", path);
            }
            else if (IsAdapter(full))
            {
                found.Add(full);
            }
            else if (Directory.EnumerateFiles(full, "*.*proj").Any())
            {
                var adapters = Path.Combine(full, "obj", "lora", "adapters");
                if (Directory.Exists(adapters))
                {
                    found.UnionWith(Directory.EnumerateDirectories(adapters).Where(d => !IsHidden(d) && IsAdapter(d)));
                }
            }
            else
            {
                found.UnionWith(Below(full));
            }
        }

        return found.Count > 0
            ? [.. found]
            : throw new LoraException(
                ComparisonErrorCodes.NoAdaptersFound,
                $"No adapter folder (one holding {TrainingManifest.FileName}) was found under {string.Join(", ", given.Select(p => $"'{p}'"))}. For a project, build it first (its adapters are in obj/lora/adapters/); or pass adapter folders.");
    }

    private static IEnumerable<string> Below(string folder)
    {
        foreach (var child in Directory.EnumerateDirectories(folder).Where(d => !IsHidden(d)))
        {
            if (IsAdapter(child))
            {
                yield return child;
            }
            else
            {
                foreach (var adapter in Below(child))
                {
                    yield return adapter;
                }
            }
        }
    }

    private static bool IsAdapter(string folder) => File.Exists(Path.Combine(folder, TrainingManifest.FileName));

    private static bool IsHidden(string folder) => Path.GetFileName(folder).StartsWith('.');
}
