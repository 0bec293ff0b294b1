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

Task("Test")
    .IsDependentOn("Build")
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

Task("Doctor")
    .IsDependentOn("Build")
    .Does(() => Lora("doctor"));

Task("Example")
    .Description("The main job on the embedded example.")
    .IsDependentOn("Build")
    .Does(() =>
{
    Lora("doctor");
    Lora("inspect", "--config", "examples/configs/llama-2-7b/config.json", "--rank", "8", "--targets", "q_proj,v_proj");
});

Task("Bench")
    .Description("LoRA training speed, memory and FLOP utilization in fp32 and bf16; writes docs/benchmarks.md.")
    .IsDependentOn("Build")
    .Does(() => Lora("bench", "--markdown", "docs/benchmarks.md"));

RunTarget(target);
