using LoraBuild.Core.Adapters;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Fingerprints;
using LoraBuild.Core.Hub;
using LoraBuild.Core.Manifests;
using LoraBuild.Core.Packaging;
using LoraBuild.Core.Specs;
using LoraBuild.Engine.Checkpoints;

namespace LoraBuild.Engine.Reports;

/// <summary>
/// Everything an evaluation needs, found from what the user named: the adapter folder, the base model folder, and a
/// spec whose eval datasets and settings say what to evaluate, with its <see cref="TrainingSpec.BaseDirectory"/> the
/// folder that relative paths (and the outputs' sample sources) are relative to.
/// </summary>
/// <param name="AdapterName">The adapter's name, for the report.</param>
/// <param name="AdapterDirectory">The adapter folder (full path).</param>
/// <param name="BaseModelDirectory">The base model folder (full path).</param>
/// <param name="Spec">
/// The settings to evaluate with; its eval datasets are what is evaluated, and its precision and quantization (the
/// adapter's manifest's, when it has one) say how the base is loaded.
/// </param>
/// <param name="Manifest">The adapter's <c>lorabuild.json</c>, when it has one.</param>
/// <param name="OutputDirectory">Where the outputs and the report go (full path).</param>
public sealed record EvalTarget(
    string AdapterName,
    string AdapterDirectory,
    string BaseModelDirectory,
    TrainingSpec Spec,
    TrainingManifest? Manifest,
    string OutputDirectory)
{
    /// <summary>The spec file a project folder holds.</summary>
    public const string SpecFileName = "lora.json";

    /// <summary>Finds the adapter, base model and data for <paramref name="request"/>.</summary>
    /// <exception cref="LoraException">LORA1350–LORA1353 naming what is missing and the path looked at.</exception>
    public static EvalTarget Resolve(EvalRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var target = Path.GetFullPath(request.Target);
        TrainingSpec spec;
        TrainingManifest? manifest;
        string adapterDirectory;
        if (Directory.Exists(target) && File.Exists(Path.Combine(target, AdapterConfigJson.FileName)))
        {
            adapterDirectory = target;
            manifest = ReadManifest(adapterDirectory);
            var recorded = manifest?.Spec ?? new TrainingSpec { Name = Path.GetFileName(target) };
            spec = recorded with { BaseDirectory = ProjectDirectoryOf(adapterDirectory, recorded, manifest) };
        }
        else
        {
            var specFile = Directory.Exists(target) ? Path.Combine(target, SpecFileName) : target;
            if (!File.Exists(specFile))
            {
                throw new LoraException(
                    ReportErrorCodes.EvalTargetNotFound,
                    Directory.Exists(target)
                        ? $"This folder holds neither an adapter ({AdapterConfigJson.FileName}) nor a spec ({SpecFileName}). Name an adapter folder, a spec file or a project folder."
                        : "No such adapter folder, spec file or project folder.",
                    target);
            }

            spec = TrainingSpecJson.ReadFile(specFile);
            adapterDirectory = request.Adapter is { } explicitAdapter ? Path.GetFullPath(explicitAdapter) : TrainedAdapterOf(spec, specFile);
            manifest = ReadManifest(adapterDirectory);
        }

        RequireAdapterFiles(adapterDirectory);
        if (manifest is not null)
        {
            // Flags may have changed them from the spec file at training time: the adapter is measured on the base it saw.
            spec = spec with { Precision = manifest.Spec.Precision, Quantization = manifest.Spec.Quantization };
        }

        var baseModel = BaseModelOf(request, spec, manifest);
        spec = WithEvalData(request, spec) with { Device = request.Device ?? Devices.Auto };
        var output = Path.GetFullPath(request.Output ?? adapterDirectory.TrimEnd(Path.DirectorySeparatorChar) + ".eval");
        var name = spec.Name ?? Path.GetFileName(adapterDirectory.TrimEnd(Path.DirectorySeparatorChar));
        return new EvalTarget(name, adapterDirectory, baseModel, spec, manifest, output);
    }

    /// <summary>
    /// Where a spec's adapter was written: by a build (<c>obj/lora/adapters/&lt;name&gt;</c>) or by <c>train</c>
    /// (<c>out/&lt;name&gt;</c>), the one trained last when both exist.
    /// </summary>
    private static string TrainedAdapterOf(TrainingSpec spec, string specFile)
    {
        var name = spec.Name ?? "adapter";
        var project = spec.BaseDirectory ?? Path.GetDirectoryName(specFile)!;
        string[] candidates = [Path.Combine(project, "obj", "lora", "adapters", name), Path.Combine(project, "out", name)];
        var trained = candidates
            .Where(folder => File.Exists(Path.Combine(folder, AdapterConfigJson.FileName)))
            .OrderByDescending(folder => File.GetLastWriteTimeUtc(Path.Combine(folder, AdapterConfigJson.FileName)))
            .FirstOrDefault();
        return trained ?? throw new LoraException(
            ReportErrorCodes.AdapterMissing,
            $"The adapter '{name}' has not been trained: neither {string.Join(" nor ", candidates)} holds one. "
                + "Build the project or run dotnet lora train first, or name the adapter folder with --adapter.",
            specFile);
    }

    private static void RequireAdapterFiles(string adapterDirectory)
    {
        string[] required = [AdapterConfigJson.FileName, AdapterPackageLayout.WeightsFileName];
        var missing = required.Where(file => !File.Exists(Path.Combine(adapterDirectory, file))).ToList();
        if (missing.Count > 0)
        {
            throw new LoraException(
                ReportErrorCodes.AdapterMissing,
                Directory.Exists(adapterDirectory)
                    ? $"The adapter folder lacks {string.Join(" and ", missing)}."
                    : "No such adapter folder.",
                adapterDirectory);
        }
    }

    private static string BaseModelOf(EvalRequest request, TrainingSpec spec, TrainingManifest? manifest)
    {
        string folder;
        if (request.Model is { } model)
        {
            folder = Path.GetFullPath(model);
        }
        else if (spec.BaseModel?.Path is { Length: > 0 } path)
        {
            folder = spec.ResolvePath(path);
        }
        else if (BaseModelResolver.IsHubModel(spec))
        {
            // The snapshot of the commit the adapter was trained on: no request when it is cached, a download when not.
            var pinned = BaseModelResolver.PinnedTo(spec, manifest?.Inputs.BaseModelCommit);
            folder = BaseModelResolver.Resolve(pinned, settings: null, progress: null, CancellationToken.None).Directory;
        }
        else
        {
            throw new LoraException(
                ReportErrorCodes.BaseModelMissing,
                $"The adapter records no base model folder{(spec.BaseModel?.HubId is { } hub ? $" (only the hub id {hub})" : string.Empty)}; name it with --model.",
                spec.SourceLocation ?? spec.BaseDirectory);
        }

        if (!File.Exists(Path.Combine(folder, "config.json")))
        {
            throw new LoraException(
                ReportErrorCodes.BaseModelMissing,
                $"The base model folder does not exist or holds no config.json{(request.Model is null ? "; name the base model with --model" : string.Empty)}.",
                folder);
        }

        return folder;
    }

    private static TrainingSpec WithEvalData(EvalRequest request, TrainingSpec spec)
    {
        var metric = request.Metrics.Count > 0 ? string.Join(";", request.Metrics) : null;
        IReadOnlyList<DatasetReference> data;
        var baseDirectory = spec.BaseDirectory;
        if (request.Data.Count > 0)
        {
            // Data named on the command line is relative to where the command runs, and so are its sample sources.
            baseDirectory = Directory.GetCurrentDirectory();
            data = [.. request.Data.Select(file => new DatasetReference { Path = Path.GetFullPath(file), Format = request.Format ?? "alpaca", Metric = metric })];
        }
        else
        {
            data = [.. spec.EvalDatasets.Select(d => metric is null ? d : d with { Metric = metric })];
        }

        if (data.Count == 0)
        {
            throw new LoraException(
                ReportErrorCodes.EvalDataMissing,
                "There is no eval data: the spec lists no evalDatasets. Name a file with --data.",
                spec.SourceLocation ?? spec.BaseDirectory);
        }

        var resolved = spec with { BaseDirectory = baseDirectory, Datasets = [], EvalDatasets = data };
        foreach (var dataset in data)
        {
            var path = resolved.ResolvePath(dataset.Path!);
            if (!File.Exists(path))
            {
                throw new LoraException(ReportErrorCodes.EvalDataMissing, "The eval data file does not exist; name another with --data.", path);
            }
        }

        return resolved with { EvalMaxNewTokens = request.MaxNewTokens ?? spec.EvalMaxNewTokens };
    }

    /// <summary>
    /// The folder the manifest's relative paths were written against: the nearest folder above the adapter where the
    /// recorded base model folder (when relative) and every eval dataset exist (an adapter lives under <c>out/</c> or
    /// <c>obj/lora/adapters/</c> of its project); the current folder when there is none.
    /// </summary>
    /// <summary>
    /// The folder the adapter's spec was written in: the first of <see cref="ProjectFolderCandidates"/> that holds its
    /// relative eval data and base model, with the SHA-256 the manifest recorded where it recorded one (two projects may
    /// both have a <c>data/eval.jsonl</c>); the current folder when none does, so the error names the file looked for.
    /// </summary>
    private static string ProjectDirectoryOf(string adapterDirectory, TrainingSpec spec, TrainingManifest? manifest)
    {
        var expected = new List<(string Path, string? Sha256)>();
        for (var i = 0; i < spec.EvalDatasets.Count; i++)
        {
            if (spec.EvalDatasets[i].Path is { } path && !Path.IsPathRooted(path))
            {
                expected.Add((path, manifest?.Inputs.EvalDatasets.ElementAtOrDefault(i)?.Sha256));
            }
        }

        if (spec.BaseModel?.Path is { Length: > 0 } model && !Path.IsPathRooted(model))
        {
            expected.Add((Path.Combine(model, "config.json"), manifest?.Inputs.BaseModelFiles.GetValueOrDefault("config.json")));
        }

        if (expected.Count > 0)
        {
            var hashes = new FileHashCache(AdapterBaseModelCheck.DefaultHashCacheFile);
            foreach (var folder in ProjectFolderCandidates.Of(Path.GetDirectoryName(Path.GetFullPath(adapterDirectory))!))
            {
                if (expected.All(file => Holds(folder, file.Path, file.Sha256, hashes)))
                {
                    return folder;
                }
            }
        }

        return Directory.GetCurrentDirectory();
    }

    private static bool Holds(string folder, string relativePath, string? sha256, FileHashCache hashes)
    {
        var file = Path.Combine(folder, relativePath);
        return File.Exists(file) && (sha256 is null || string.Equals(hashes.Hash(file), sha256, StringComparison.OrdinalIgnoreCase));
    }

    private static TrainingManifest? ReadManifest(string adapterDirectory)
    {
        var path = Path.Combine(adapterDirectory, TrainingManifest.FileName);
        return File.Exists(path) ? TrainingManifestJson.ReadFile(path) : null;
    }
}
