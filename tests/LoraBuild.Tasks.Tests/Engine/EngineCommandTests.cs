using LoraBuild.Core.Diagnostics;
using LoraBuild.Tasks.Engine;

namespace LoraBuild.Tasks.Tests.Engine;

public class EngineCommandTests
{
    [Fact]
    public void AnEngineDllRunsOnTheBuildsDotnetHost()
    {
        using var folder = new TempDirectory();
        var dll = folder.Write("engine/dotnet-lora.dll", "x");

        var command = EngineCommand.Resolve("engine/dotnet-lora.dll", "ignored when a path is set", "/opt/dotnet/dotnet", folder.Path);

        Assert.Equal("/opt/dotnet/dotnet", command.Executable);
        Assert.Equal([dll, "train", "job.json"], command.Arguments("train", "job.json"));
    }

    [Fact]
    public void TheDefaultIsTheToolFromTheManifest()
    {
        var command = EngineCommand.Resolve(null, null, "/opt/dotnet/dotnet", "/");

        Assert.Equal("/opt/dotnet/dotnet", command.Executable);
        Assert.Equal(["tool", "run", "dotnet-lora", "engine-info"], command.Arguments("engine-info"));
    }

    [Fact]
    public void ACommandKeepsQuotedWordsTogether()
    {
        var command = EngineCommand.Resolve(string.Empty, "\"/opt/my tools/lora\" --threads 2", null, "/");

        Assert.Equal("/opt/my tools/lora", command.Executable);
        Assert.Equal(["--threads", "2"], command.LeadingArguments);
    }

    [Fact]
    public void AMissingEnginePathIsAnEnvironmentError()
    {
        var error = Assert.Throws<LoraException>(() => EngineCommand.Resolve("/nowhere/dotnet-lora.dll", null, null, "/"));

        Assert.Equal(EngineErrorCodes.EngineNotFound, error.Code);
        Assert.Contains("/nowhere/dotnet-lora.dll", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("two words", "\"two words\"")]
    [InlineData("", "\"\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    public void ArgumentsAreQuotedOnlyWhenNeeded(string argument, string quoted)
    {
        Assert.Equal(quoted, EngineCommand.Quote(argument));
        Assert.Equal([argument], EngineCommand.Split(quoted.Replace("\\\"", "\u0001", StringComparison.Ordinal)).Select(w => w.Replace('\u0001', '"')));
    }
}
