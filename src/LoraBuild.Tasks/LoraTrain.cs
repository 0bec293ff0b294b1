using System.Globalization;
using LoraBuild.Core.Cache;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Export;
using LoraBuild.Core.Fingerprints;
using LoraBuild.Core.IO;
using LoraBuild.Core.Manifests;
using LoraBuild.Core.Specs;
using LoraBuild.Core.Training;
using LoraBuild.Tasks.Engine;
using LoraBuild.Tasks.Items;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace LoraBuild.Tasks;

/// <summary>
/// Trains each LoraAdapter whose inputs changed, out of process, and reports every adapter as
/// <c>LoraTrainedAdapter</c>. In process it only maps items to specs, hashes inputs (cached by path, size and mtime)
/// and compares fingerprints with each adapter's <c>lorabuild.json</c>: an up-to-date adapter starts no process.
/// A changed one is written as a job file and handed to the engine, whose coded output becomes MSBuild warnings
/// and errors; trainings on one machine take turns (the engine holds <see cref="TrainingLock"/>), and cancelling the build kills the
/// engine, which leaves the previous adapter in place because the engine only swaps in a finished one.
/// </summary>
public sealed partial class LoraTrain : ToolTask
{
    private readonly ItemLocator _locator = new();
    private List<string>? _captured;
    private string _executable = "dotnet";
    private string _commandLine = string.Empty;
    private string _workingDirectory = string.Empty;
    private CancellationToken _cancellation;

    /// <summary>The LoraAdapter items.</summary>
    [Required]
    public ITaskItem[] Adapters { get; set; } = [];

    /// <summary>The LoraBaseModel items.</summary>
    public ITaskItem[] BaseModels { get; set; } = [];

    /// <summary>The LoraDataset items.</summary>
    public ITaskItem[] Datasets { get; set; } = [];

    /// <summary>The LoraEval items.</summary>
    public ITaskItem[] Evals { get; set; } = [];

    /// <summary>The project file; relative paths in items resolve against its folder, and errors fall back to it.</summary>
    [Required]
    public string ProjectFile { get; set; } = string.Empty;

    /// <summary>Folder for job files, the file-hash cache and the engine identity cache (e.g. <c>obj/lora/</c>).</summary>
    [Required]
    public string IntermediateDirectory { get; set; } = string.Empty;

    /// <summary>Folder that holds one trained adapter folder per LoraAdapter.</summary>
    [Required]
    public string AdapterDirectory { get; set; } = string.Empty;

    /// <summary>LoraEnginePath: dotnet-lora.dll or an engine executable.</summary>
    public string? EnginePath { get; set; }

    /// <summary>LoraEngineCommand, used when <see cref="EnginePath"/> is empty (default <c>dotnet tool run dotnet-lora</c>).</summary>
    public string? EngineCommand { get; set; }

    /// <summary>The dotnet host of this build (DOTNET_HOST_PATH).</summary>
    public string? DotnetHost { get; set; }

    /// <summary>LoraSkipTraining: use existing adapters as they are; fail when one was never trained.</summary>
    public bool SkipTraining { get; set; }

    /// <summary>The machine-wide training lock file (default: <c>training.lock</c> in the LoraBuild user cache folder).</summary>
    public string? LockFile { get; set; }

    /// <summary>LoraCheckpointSteps: save the training state every N optimizer steps (else LORABUILD_CHECKPOINT_STEPS, else 0: not by steps).</summary>
    public string? CheckpointSteps { get; set; }

    /// <summary>LoraCheckpointMinutes: save the training state every M minutes of training (else LORABUILD_CHECKPOINT_MINUTES, else 10).</summary>
    public string? CheckpointMinutes { get; set; }

    /// <summary>LoraResume: continue an interrupted training from its newest checkpoint (else LORABUILD_RESUME, else true).</summary>
    public string? Resume { get; set; }

    /// <summary>One item per adapter: name, metadata <c>Path</c>, <c>Fingerprint</c>, <c>BaseModel</c> (hub id when declared), <c>ExportPath</c> (when exported).</summary>
    [Output]
    public ITaskItem[] TrainedAdapters { get; private set; } = [];

    /// <summary>Every file of every adapter folder and of its export, with <c>TargetPath</c> <c>lora/&lt;Adapter&gt;/&lt;file&gt;</c>.</summary>
    [Output]
    public ITaskItem[] AdapterFiles { get; private set; } = [];

    public LoraTrain()
    {
        // Lets other projects of a multi-project build use this node while the engine trains.
        YieldDuringToolExecution = true;
    }

    protected override string ToolName => "dotnet-lora";

    protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.High;

    protected override MessageImportance StandardErrorLoggingImportance => MessageImportance.High;

    public override bool Execute()
    {
        using var cancellation = new CancellationTokenSource();
        // Cancelling the build sets ToolCanceled; work in this process (hashing, downloads) stops at its next check.
        var watch = ThreadPool.RegisterWaitForSingleObject(ToolCanceled, (_, _) => cancellation.Cancel(), null, System.Threading.Timeout.Infinite, executeOnlyOnce: true);
        _cancellation = cancellation.Token;
        try
        {
            return Run();
        }
        catch (LoraItemException e)
        {
            LogItemError(e);
            return false;
        }
        catch (LoraException e)
        {
            Log.LogError(null, e.Code, null, e.Location ?? ProjectFile, 0, 0, 0, 0, e.Message);
            return false;
        }
        catch (OperationCanceledException)
        {
            Log.LogMessage(MessageImportance.High, "LoraBuild: cancelled.");
            return false;
        }
        finally
        {
            watch.Unregister(null);
        }
    }

    private bool Run()
    {
        var projectDirectory = Path.GetDirectoryName(Path.GetFullPath(ProjectFile))!;
        _workingDirectory = projectDirectory;
        var specs = BuildSpecs(projectDirectory);
        if (specs is null)
        {
            return false;
        }

        var exports = ParseExports(specs.Select(entry => entry.Item));
        if (exports is null)
        {
            return false;
        }

        var intermediate = InProject(projectDirectory, IntermediateDirectory);
        _cache = SkipTraining ? TrainingCacheSettings.Off : TrainingCacheSettings.Resolve(CacheSource, CacheMode, CacheRequired, location: ProjectFile);
        // The engine is handed this file too (--hash-cache), so a cold model is hashed once, by whichever process comes first.
        var hashes = new FileHashCache(Path.Combine(intermediate, "file-hashes.json"), _cancellation);
        // Skipping training needs no engine, so a build without one (say, a CI job that only packs) does not fail for lack of it.
        var engine = SkipTraining ? null : Engine.EngineCommand.Resolve(EnginePath, EngineCommand, DotnetHost, projectDirectory);
        var runtime = engine is null
            ? null
            : new EngineRuntime(Path.Combine(intermediate, "engine-runtime.json"), EngineRuntime.Key(engine, EnginePath, projectDirectory, hashes));
        var trained = new List<ITaskItem>();
        var files = new List<ITaskItem>();
        foreach (var (item, declared, seeds) in specs)
        {
            var spec = PinHubBaseModel(declared);
            var output = Path.Combine(InProject(projectDirectory, AdapterDirectory), spec.Name!);
            var fingerprint = Produce(item, spec, output, spec.Name!, spec.Name!, engine, runtime, hashes, intermediate);
            hashes.Save();
            if (fingerprint is null || !ProduceSeeds(item, spec, seeds, output, engine, runtime, hashes, intermediate))
            {
                return false;
            }

            var export = ProduceExport(item, exports[item.ItemSpec], spec, output, fingerprint, engine, intermediate);
            if (export is null)
            {
                return false;
            }

            trained.Add(TrainedAdapterItem(spec, output, fingerprint, export));
            var exported = export.Length == 0 ? [] : BuildExport.Files(export);
            files.AddRange(Directory.EnumerateFiles(output).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal).Concat(exported).Select(f =>
                new TaskItem(f, new Dictionary<string, string> { ["TargetPath"] = $"lora/{spec.Name}/{Path.GetFileName(f)}", ["Adapter"] = spec.Name! })));
        }

        Log.LogMessage(MessageImportance.Normal, "LoraBuild: the build hashed {0} file(s) and found {1} in {2}.", hashes.FilesHashed, hashes.FilesFromCache, hashes.CacheFile);
        TrainedAdapters = [.. trained];
        AdapterFiles = [.. files];
        return !Log.HasLoggedErrors;
    }

    /// <summary>Brings one adapter up to date; returns its fingerprint, or null after logging an error.</summary>
    /// <param name="label">Names the run in messages: the adapter, or the adapter and a seed.</param>
    /// <param name="jobName">The job file's name without extension.</param>
    private string? Produce(ITaskItem item, TrainingSpec spec, string output, string label, string jobName, EngineCommand? engine, EngineRuntime? runtime, FileHashCache hashes, string intermediate)
    {
        var manifestPath = Path.Combine(output, TrainingManifest.FileName);
        var existing = File.Exists(manifestPath) ? TrainingManifestJson.TryReadFingerprint(manifestPath) : null;
        if (SkipTraining)
        {
            if (existing is null)
            {
                LogItemError(new LoraItemException(
                    TaskErrorCodes.SkippedWithoutAdapter,
                    $"LoraSkipTraining is true but adapter '{label}' was never trained ({manifestPath} does not exist); build once without LoraSkipTraining.",
                    Reference(item)));
                return null;
            }

            Log.LogMessage(MessageImportance.High, "LoraBuild: {0} training skipped (LoraSkipTraining); using the existing adapter (fingerprint {1}).", label, Short(existing));
            return existing;
        }

        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(runtime);

        string? expected = null;
        if (existing is not null)
        {
            var identity = runtime.TryGetCached() ?? AskEngine(engine, runtime);
            expected = FingerprintOf(spec, hashes, identity).Value;
            if (expected == existing)
            {
                Log.LogMessage(MessageImportance.High, "LoraBuild: {0} is up to date (fingerprint {1}).", label, Short(existing));
                return existing;
            }

            Log.LogMessage(MessageImportance.High, "LoraBuild: {0} inputs changed (fingerprint {1} → {2}); training.", label, Short(existing), Short(expected));
        }
        else
        {
            Log.LogMessage(MessageImportance.High, "LoraBuild: {0} has not been trained yet; {1}.", label, _cache.Reads ? "looking in the training cache" : "training");
        }

        var cacheOutcome = CacheOutcome.Missing;
        if (_cache.Reads)
        {
            expected ??= FingerprintOf(spec, hashes, runtime.TryGetCached() ?? AskEngine(engine, runtime)).Value;
            cacheOutcome = RestoreFromCache(item, spec, output, engine, expected);
            if (cacheOutcome is CacheOutcome.Restored or CacheOutcome.Failed)
            {
                return cacheOutcome == CacheOutcome.Restored ? expected : null;
            }
        }

        var jobFile = Path.Combine(intermediate, "jobs", jobName + ".json");
        TrainingSpecJson.WriteFile(spec, jobFile);
        RemoveStagingLeftovers(output);
        hashes.Save();
        // The engine takes the machine-wide training lock itself (and says so while it waits), so builds and
        // `dotnet lora train` take turns.
        var exitCode = RunEngine(engine, capture: false, [
            "train", jobFile, "--output", output, "--log-format", "msbuild", "--lock-file", LockPath(),
            "--base-directory", Path.GetDirectoryName(Path.GetFullPath(ProjectFile))!, "--source-location", Locate(Reference(item), null).ToString(),
            "--cache-mode", "off", "--hash-cache", hashes.CacheFile!, .. CheckpointArguments()]);

        ThrowIfCancelled();
        hashes.Refresh();
        if (exitCode != 0)
        {
            if (!Log.HasLoggedErrors)
            {
                var hint = string.IsNullOrWhiteSpace(EnginePath)
                    ? " If it says no tool is named dotnet-lora: add the tool to the manifest (dotnet new tool-manifest; dotnet tool install LoraBuild.Cli), run 'dotnet tool restore', or set LoraEnginePath."
                    : string.Empty;
                Log.LogError(null, EngineErrorCodes.EngineFailed, null, ProjectFile, 0, 0, 0, 0, "The engine ({0}) exited with code {1} while training '{2}'; its output is above.{3}", engine.Description, exitCode, label, hint);
            }

            return null;
        }

        var fingerprint = Verify(spec, label, manifestPath, expected, runtime, hashes);
        return fingerprint is not null && _cache.Writes && !PushToCache(item, spec, output, engine, replace: cacheOutcome == CacheOutcome.Invalid) ? null : fingerprint;
    }

    /// <summary>Reads what the engine wrote and learns the engine's identity from it; warns when the fingerprints disagree.</summary>
    private string? Verify(TrainingSpec spec, string label, string manifestPath, string? expected, EngineRuntime runtime, FileHashCache hashes)
    {
        TrainingManifest manifest;
        try
        {
            manifest = TrainingManifestJson.ReadFile(manifestPath);
        }
        catch (LoraException e)
        {
            Log.LogError(null, EngineErrorCodes.EngineOutputMissing, null, manifestPath, 0, 0, 0, 0, "The engine reported success but left no readable manifest: {0}", e.Message);
            return null;
        }

        var identity = EngineRuntime.FromManifest(manifest);
        var computed = FingerprintOf(spec, hashes, identity).Value;
        if (computed != manifest.Fingerprint || (expected is not null && expected != manifest.Fingerprint))
        {
            runtime.Forget();
            Log.LogWarning(null, EngineErrorCodes.FingerprintMismatch, null, manifestPath, 0, 0, 0, 0,
                "The engine wrote fingerprint {0} for '{1}' but the build computes {2}; the next build will train again. Are the Sdk and the engine different LoraBuild versions?",
                Short(manifest.Fingerprint), label, Short(expected ?? computed));
        }
        else
        {
            runtime.Remember(identity);
        }

        Log.LogMessage(MessageImportance.High, "LoraBuild: {0} trained (fingerprint {1}).", label, Short(manifest.Fingerprint));
        return manifest.Fingerprint;
    }

    private RuntimeIdentity AskEngine(EngineCommand engine, EngineRuntime runtime)
    {
        Log.LogMessage(MessageImportance.Normal, "LoraBuild: asking the engine ({0}) for its version, libtorch version and device.", engine.Description);
        _captured = [];
        int exitCode;
        try
        {
            exitCode = RunEngine(engine, capture: true, "engine-info", "--json");
        }
        finally
        {
            ThrowIfCancelled();
        }

        var output = string.Join('\n', _captured);
        _captured = null;
        if (exitCode != 0)
        {
            throw new LoraException(EngineErrorCodes.EngineFailed, $"'engine-info --json' exited with code {exitCode}: {output.Trim()}", engine.Description);
        }

        var identity = EngineRuntime.Parse(output, engine.Description);
        runtime.Remember(identity);
        return identity;
    }

    private int RunEngine(EngineCommand engine, bool capture, params string[] arguments)
    {
        _executable = engine.Executable;
        _commandLine = string.Join(' ', engine.Arguments(arguments).Select(Engine.EngineCommand.Quote));
        if (!capture)
        {
            LogToolCommand($"{_executable} {_commandLine}");
        }

        try
        {
            return ExecuteTool(_executable, string.Empty, _commandLine);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or FileNotFoundException)
        {
            throw new LoraException(EngineErrorCodes.EngineNotFound, $"The engine could not be started ({e.Message}); set LoraEnginePath or LoraEngineCommand, or run 'dotnet tool restore'.", engine.Description, e);
        }
    }

    protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance)
    {
        if (_captured is not null)
        {
            _captured.Add(singleLine);
            return;
        }

        // ExecuteTool is called directly (once per engine run), so ToolTask.Execute never set the importance it passes.
        base.LogEventsFromTextOutput(singleLine, MessageImportance.High);
    }

    protected override string GenerateFullPathToTool() => _executable;

    protected override string GenerateCommandLineCommands() => _commandLine;

    protected override string GetWorkingDirectory() => _workingDirectory;

    /// <summary>Specs for all adapters, or null after logging every item error found.</summary>
    private List<(ITaskItem Item, TrainingSpec Spec, int Seeds)>? BuildSpecs(string projectDirectory)
    {
        WarnUnknownMetadata();
        var builder = new AdapterSpecBuilder(projectDirectory, BaseModels, Datasets, Evals);
        var specs = new List<(ITaskItem, TrainingSpec, int)>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var adapter in Adapters)
        {
            try
            {
                if (!names.Add(adapter.ItemSpec))
                {
                    throw new LoraItemException(TaskErrorCodes.AdapterNameDuplicate, $"Two LoraAdapter items are named '{adapter.ItemSpec}'; the name is the adapter's folder, so it must be unique.", Reference(adapter));
                }

                var spec = builder.Build(adapter);
                specs.Add((adapter, spec, AdapterSeeds.Count(adapter, spec.Seed, Reference(adapter))));
            }
            catch (LoraItemException e)
            {
                LogItemError(e);
            }
        }

        foreach (var eval in Evals)
        {
            var target = eval.GetMetadata(LoraItemNames.AdapterMetadata).Trim();
            if (target.Length > 0 && !names.Contains(target))
            {
                LogItemError(new LoraItemException(
                    TaskErrorCodes.EvalAdapterUnknown,
                    $"Adapter '{target}' names no LoraAdapter item; declared: {string.Join(", ", Adapters.Select(a => a.ItemSpec))}.",
                    new LoraItemReference(LoraItemNames.Eval, eval.ItemSpec, eval.GetMetadata("DefiningProjectFullPath")),
                    LoraItemNames.AdapterMetadata));
            }
        }

        return Log.HasLoggedErrors ? null : specs;
    }

    private void WarnUnknownMetadata()
    {
        foreach (var (type, items) in new[] { (LoraItemNames.Adapter, Adapters), (LoraItemNames.BaseModel, BaseModels), (LoraItemNames.Dataset, Datasets), (LoraItemNames.Eval, Evals) })
        {
            foreach (var item in items)
            {
                foreach (var name in AdapterSpecBuilder.UnknownMetadata(type, item))
                {
                    var at = Locate(new LoraItemReference(type, item.ItemSpec, item.GetMetadata("DefiningProjectFullPath")), name);
                    Log.LogWarning(null, TaskErrorCodes.UnknownMetadata, null, at.File, at.Line, at.Column, 0, 0, "{0} '{1}' has metadata '{2}', which LoraBuild does not know; it is ignored.", type, item.ItemSpec, name);
                }
            }
        }
    }

    private ItemLocation Locate(LoraItemReference item, string? metadataName) =>
        _locator.Locate(item.ItemType, item.Include, metadataName, [item.DefiningFile ?? string.Empty, Path.GetFullPath(ProjectFile)]);

    private void LogItemError(LoraItemException e)
    {
        var at = Locate(e.Item, e.MetadataName);
        Log.LogError(null, e.Code, null, at.File, at.Line, at.Column, 0, 0, "{0} '{1}': {2}", e.Item.ItemType, e.Item.Include, e.Message);
    }

    private static LoraItemReference Reference(ITaskItem adapter) =>
        new(LoraItemNames.Adapter, adapter.ItemSpec, adapter.GetMetadata("DefiningProjectFullPath") is { Length: > 0 } file ? file : null);

    private static TaskItem TrainedAdapterItem(TrainingSpec spec, string output, string fingerprint, string export)
    {
        var item = new TaskItem(spec.Name);
        item.SetMetadata("Path", output + Path.DirectorySeparatorChar);
        item.SetMetadata("Fingerprint", fingerprint);
        if (export.Length > 0)
        {
            item.SetMetadata("ExportPath", export + Path.DirectorySeparatorChar);
        }

        if (spec.BaseModel?.HubId is { } hubId)
        {
            item.SetMetadata("BaseModel", hubId);
        }

        return item;
    }

    /// <summary>Hidden folders a killed engine left beside the adapter (its unfinished result); never the adapter itself.</summary>
    /// <summary>The engine's checkpoint flags, from the properties or the environment (checked here, so a bad value is a build error at the project).</summary>
    private string[] CheckpointArguments()
    {
        var settings = CheckpointSettings.Resolve(CheckpointSteps, CheckpointMinutes, Resume, location: ProjectFile);
        string[] arguments =
        [
            "--checkpoint-steps", settings.EverySteps.ToString(CultureInfo.InvariantCulture),
            "--checkpoint-minutes", settings.EveryMinutes.ToString("R", CultureInfo.InvariantCulture),
        ];
        return settings.Resume ? arguments : [.. arguments, "--no-resume"];
    }

    private static void RemoveStagingLeftovers(string output)
    {
        var parent = Path.GetDirectoryName(output)!;
        if (!Directory.Exists(parent))
        {
            return;
        }

        foreach (var leftover in Directory.EnumerateDirectories(parent, $".{Path.GetFileName(output)}.*.new"))
        {
            try
            {
                Directory.Delete(leftover, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Harmless: hidden, and never read.
            }
        }
    }

    private void ThrowIfCancelled()
    {
        if (ToolCanceled.WaitOne(0))
        {
            throw new OperationCanceledException();
        }
    }

    private string LockPath() => string.IsNullOrWhiteSpace(LockFile) ? TrainingLock.DefaultPath : LockFile;

    /// <summary>A task path parameter as a full path: relative to the project, with MSBuild's '\' separators read as '/' off Windows.</summary>
    private static string InProject(string projectDirectory, string path) =>
        Path.GetFullPath(Path.Combine(projectDirectory, Path.DirectorySeparatorChar == '/' ? path.Replace('\\', '/') : path));

    private static string Short(string fingerprint) => fingerprint.Length > 12 ? fingerprint[..12] : fingerprint;
}
