using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace LoraBuild.Tasks.Tests.Integration;

/// <summary>
/// A real SDK-style project in a temp folder that imports LoraBuild.Sdk from source and trains a tiny adapter on the
/// example's 3.5M-parameter model with a few records and two steps, so one training takes seconds. Rank, steps and
/// epochs come from properties, so a test changes them with <c>-p:</c>.
/// </summary>
internal sealed class MicroProject : IDisposable
{
    private readonly TempDirectory _folder = new();

    public MicroProject(string adapterMetadata = "", int records = 6, string name = "Micro", string extraItems = "", string? baseModelMetadata = null)
    {
        Name = name;
        _folder.Write("data/train.jsonl", string.Join('\n', Enumerable.Range(0, records).Select(Record)) + "\n");
        ProjectFile = _folder.Write("Micro.csproj", $$"""
            <Project Sdk="Microsoft.NET.Sdk">
              <Import Project="{{Path.Combine(Repository.SdkBuildFolder, "LoraBuild.Sdk.props")}}" />
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <LoraBuildTasksAssembly>{{Repository.TasksAssembly}}</LoraBuildTasksAssembly>
                <LoraEnginePath>{{Repository.Engine}}</LoraEnginePath>
                <LoraTrainingLockFile>$(MSBuildProjectDirectory)/training.lock</LoraTrainingLockFile>
                <TestRank Condition="'$(TestRank)' == ''">2</TestRank>
                <TestMaxSteps Condition="'$(TestMaxSteps)' == ''">2</TestMaxSteps>
                <TestEpochs Condition="'$(TestEpochs)' == ''">1</TestEpochs>
              </PropertyGroup>
              <ItemGroup>
                <LoraBaseModel Include="tiny" {{baseModelMetadata ?? $"Path=\"{Repository.TinyModel}\""}} />
                <LoraDataset Include="data/train.jsonl" Format="alpaca" />
                <LoraAdapter Include="{{name}}"
                             Rank="$(TestRank)" Alpha="4" TargetModules="q_proj,v_proj"
                             MaxSteps="$(TestMaxSteps)" Epochs="$(TestEpochs)" BatchSize="2" MaxSequenceLength="192" {{adapterMetadata}} />
                {{extraItems}}
              </ItemGroup>
              <Import Project="{{Path.Combine(Repository.SdkBuildFolder, "LoraBuild.Sdk.targets")}}" />
            </Project>
            """);
    }

    public string ProjectFile { get; }

    /// <summary>The adapter's name, which starts each of the engine's progress lines.</summary>
    public string Name { get; }

    public string Folder => _folder.Path;

    /// <summary>Variables set for every build on top of the test's own environment.</summary>
    public Dictionary<string, string?> Environment { get; } = [];

    public string TrainData => _folder.File("data", "train.jsonl");

    public string AdapterFolder => _folder.File("obj", "lora", "adapters", Name);

    public string OutputAdapterFolder => _folder.File("bin", "Release", "net10.0", "lora", Name);

    /// <summary>The line of the LoraAdapter element's attribute, to check located errors against.</summary>
    public int LineOf(string text) => File.ReadAllLines(ProjectFile).Select((line, i) => (line, i)).First(l => l.line.Contains(text, StringComparison.Ordinal)).i + 1;

    /// <summary><c>dotnet build</c> (or the given targets) with normal verbosity, no node reuse and a console log.</summary>
    public BuildResult Build(params string[] arguments) => Finish(Start(arguments));

    public Process Start(params string[] arguments) => StartVerb("build", arguments);

    /// <summary><c>dotnet publish</c> with the same settings as <see cref="Build"/>.</summary>
    public BuildResult Publish(params string[] arguments) => Finish(StartVerb("publish", arguments));

    private Process StartVerb(string verb, string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { verb, ProjectFile, "-c", "Release", "-nologo", "-v:n", "-tl:off", "-nodeReuse:false", "-p:UseSharedCompilation=false" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        foreach (var (name, value) in Environment)
        {
            start.Environment[name] = value;
        }
        return Process.Start(start)!;
    }

    /// <summary>Reads a started build to its end.</summary>
    public static BuildResult Finish(Process process, StringBuilder? alreadyRead = null)
    {
        ArgumentNullException.ThrowIfNull(process);
        var error = process.StandardError.ReadToEndAsync();
        var output = (alreadyRead?.ToString() ?? string.Empty) + process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var result = new BuildResult(process.ExitCode, output + error.Result);
        process.Dispose();
        return result;
    }

    public Dictionary<string, byte[]> AdapterBytes() =>
        Directory.EnumerateFiles(AdapterFolder).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

    public void Dispose() => _folder.Dispose();

    private static string Record(int i) => JsonSerializer.Serialize(new
    {
        instruction = "Classify the ticket.",
        input = $"Order {i} arrived late.",
        output = i % 2 == 0 ? "shipping" : "billing",
    });
}

internal sealed record BuildResult(int ExitCode, string Output)
{
    public bool Succeeded => ExitCode == 0;

    public override string ToString() => $"exit {ExitCode}\n{Output}";
}
