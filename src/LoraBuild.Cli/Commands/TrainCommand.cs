using System.CommandLine;
using System.Globalization;
using LoraBuild.Cli.Progress;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Fingerprints;
using LoraBuild.Core.IO;
using LoraBuild.Core.Manifests;
using LoraBuild.Core.Progress;
using LoraBuild.Core.Specs;
using LoraBuild.Engine.Checkpoints;
using LoraBuild.Engine.Jobs;
using Spectre.Console;

namespace LoraBuild.Cli.Commands;

/// <summary><c>dotnet lora train</c>: train an adapter from a spec file (or a folder holding lora.json), with flags overriding settings.</summary>
internal static class TrainCommand
{
    public const string SpecFileName = "lora.json";

    public static Command Create()
    {
        var spec = new Argument<string>("spec") { Description = $"A spec file, or a folder holding {SpecFileName}." };
        var output = new Option<string?>("--output", "-o") { Description = "The folder to write the adapter to (default: out/<name> beside the spec)." };
        var logFormat = new Option<string>("--log-format")
        {
            Description = "console (progress bar or plain lines), or msbuild (plain lines; warnings and errors as file(line,col): error LORAnnnn: message).",
            DefaultValueFactory = _ => "console",
        };
        logFormat.AcceptOnlyFromAmong("console", "msbuild");
        var baseDirectory = new Option<string?>("--base-directory") { Description = "Resolve the spec's relative paths against this folder instead of the spec file's (used for build job files)." };
        var sourceLocation = new Option<string?>("--source-location") { Description = "Where the spec was declared, e.g. Project.csproj(12,5); errors about settings point there." };
        var seeds = new Option<int?>("--seeds") { Description = "Train under N seeds, the spec's seed s and s+1 … s+N-1, into <output>/seed-<n>/, and write every metric's mean and sample standard deviation to <output>/seeds.json." };
        var threads = new Option<int?>("--threads") { Description = "CPU threads for libtorch (default: the CPUs this process may use, container quotas included)." };
        threads.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is <= 0)
            {
                result.AddError("--threads must be a positive number.");
            }
        });
        var hashCache = new Option<string?>("--hash-cache")
        {
            Description = $"The file-hash cache to read and update (default {AdapterBaseModelCheck.DefaultHashCacheFile}); a build passes its own, so a model is hashed once.",
        };
        var lockFile = new Option<string?>("--lock-file") { Description = $"The machine-wide training lock (default {TrainingLock.DefaultPath}): trainings that share it take turns." };
        var overrides = new SpecOverrideOptions();
        var command = new Command("train", "Train a LoRA adapter (or, with mode full, every weight) as a spec describes.") { spec, output, logFormat, baseDirectory, sourceLocation, seeds, lockFile, hashCache, threads };
        overrides.AddTo(command);
        var cache = new TrainCacheOptions();
        cache.AddTo(command);
        var checkpointing = new TrainCheckpointOptions();
        checkpointing.AddTo(command);
        command.SetAction((parse, cancellation) =>
        {
            var msbuild = parse.GetValue(logFormat) == "msbuild";
            var origin = parse.GetValue(sourceLocation);
            string? outputDirectory = null;
            return Task.FromResult(CommandRunner.Run(
                () =>
                {
                    var resolved = overrides.Apply(parse, ReadSpec(parse.GetValue(spec)!));
                    resolved = resolved with
                    {
                        BaseDirectory = parse.GetValue(baseDirectory) is { } folder ? Path.GetFullPath(folder) : resolved.BaseDirectory,
                        SourceLocation = origin ?? resolved.SourceLocation,
                    };
                    var options = TrainingRunOptions.Default with { Checkpoints = checkpointing.Resolve(parse) };
                    outputDirectory = Path.GetFullPath(parse.GetValue(output) ?? Path.Combine(resolved.BaseDirectory!, "out", resolved.Name ?? "adapter"));
                    Engine.Native.ThreadingEnvironment.ApplyThreadCount(parse.GetValue(threads));
                    var hashFile = parse.GetValue(hashCache) is { } file ? Path.GetFullPath(file) : AdapterBaseModelCheck.DefaultHashCacheFile;
                    using var turn = TrainingLock.Acquire(
                        parse.GetValue(lockFile) ?? TrainingLock.DefaultPath,
                        () => Console.WriteLine(msbuild
                            ? "LoraBuild: another training is running on this machine; waiting for it to finish."
                            : "Another training is running on this machine; waiting for it to finish."),
                        cancellation.WaitHandle);
                    if (parse.GetValue(seeds) is { } count)
                    {
                        return SeedTraining.Run(resolved, count, outputDirectory, (seedSpec, folder) => msbuild
                            ? TrainingJob.Run(seedSpec, folder, new FileHashCache(hashFile, cancellation), new MsBuildProgressObserver(seedSpec.Name ?? "adapter", origin), options, cancellation)
                            : Run(seedSpec, folder, new FileHashCache(hashFile, cancellation), options, cancellation));
                    }

                    var session = cache.Start(parse, resolved, outputDirectory, msbuild, origin, cancellation, out var restored);
                    if (restored)
                    {
                        return 0;
                    }

                    if (msbuild)
                    {
                        var observer = new MsBuildProgressObserver(resolved.Name ?? "adapter", origin);
                        TrainingJob.Run(resolved, outputDirectory, new FileHashCache(hashFile, cancellation), observer, options, cancellation);
                        TrainCacheOptions.Push(session, cancellation);
                        return 0;
                    }

                    var manifest = Run(resolved, outputDirectory, new FileHashCache(hashFile, cancellation), options, cancellation);
                    TrainingSummary.Write(manifest, outputDirectory);
                    TrainCacheOptions.Push(session, cancellation);
                    return 0;
                },
                e =>
                {
                    if (msbuild)
                    {
                        Console.WriteLine(MsBuildFormat.Error(e, origin));
                    }
                    else
                    {
                        CommandRunner.Report(e);
                    }
                },
                () => outputDirectory is null ? null : CancelledRun.Describe(outputDirectory)));
        });
        return command;
    }

    internal static TrainingSpec ReadSpec(string path)
    {
        var file = Directory.Exists(path) ? Path.Combine(path, SpecFileName) : path;
        if (!File.Exists(file))
        {
            throw new LoraException(CliErrorCodes.PathNotFound, $"No spec found: expected a {SpecFileName} file or a folder holding one.", path);
        }

        return TrainingSpecJson.ReadFile(file);
    }

    private static TrainingManifest Run(TrainingSpec spec, string outputDirectory, FileHashCache hashes, TrainingRunOptions options, CancellationToken cancellation)
    {
        return JobDisplay.Run(observer => TrainingJob.Run(spec, outputDirectory, hashes, observer, options, cancellation));
    }


    /// <summary>One step line; <paramref name="withRemaining"/> false leaves the ETA to a progress display's own column.</summary>
    internal static string Describe(Engine.Training.TrainingProgress p, bool withRemaining = true) => string.Create(
        CultureInfo.InvariantCulture,
        $"step {p.Step}/{p.TotalSteps}  loss {p.Loss:F4}  lr {p.LearningRate:0.##e+0}  {p.TokensPerSecond:F0} tok/s{(p.PeakMemoryBytes is { } peak ? $"  peak {peak / 1048576.0:F0} MiB" : "")}{(withRemaining ? $"  ETA {Durations.Clock(p.Remaining)}" : "")}");
}
