using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Fingerprints;
using LoraBuild.Tasks.Engine;

namespace LoraBuild.Tasks.Tests.Engine;

public class EngineRuntimeTests
{
    [Fact]
    public void ReadsTheEngineInfoAnswer()
    {
        var runtime = EngineRuntime.Parse("""{"engineVersion":"0.1.0","libTorchVersion":"2.10.0.0","deviceKind":"cpu"}""", "engine");

        Assert.Equal(new RuntimeIdentity("0.1.0", "2.10.0.0", "cpu"), runtime);
    }

    [Fact]
    public void AnAnswerWithoutTheFieldsIsAnError()
    {
        var error = Assert.Throws<LoraException>(() => EngineRuntime.Parse("Usage: dotnet-lora [command]", "engine"));

        Assert.Equal(EngineErrorCodes.EngineInfoUnreadable, error.Code);
    }

    [Fact]
    public void TheCacheAnswersOnlyForTheSameEngine()
    {
        using var folder = new TempDirectory();
        var file = folder.File("engine-runtime.json");
        var identity = new RuntimeIdentity("0.1.0", "2.10.0.0", "cpu");

        new EngineRuntime(file, "engine A").Remember(identity);

        Assert.Equal(identity, new EngineRuntime(file, "engine A").TryGetCached());
        Assert.Null(new EngineRuntime(file, "engine B").TryGetCached());
    }

    [Fact]
    public void TheKeyChangesWhenTheEngineFilesDo()
    {
        using var folder = new TempDirectory();
        var dll = folder.Write("dotnet-lora.dll", "engine 1");
        folder.Write("LoraBuild.Engine.dll", "core 1");
        var command = EngineCommand.Resolve(dll, null, "dotnet", folder.Path);
        var before = EngineRuntime.Key(command, dll, folder.Path, new FileHashCache(null));

        folder.Write("LoraBuild.Engine.dll", "core 2");

        Assert.NotEqual(before, EngineRuntime.Key(command, dll, folder.Path, new FileHashCache(null)));
    }
}
