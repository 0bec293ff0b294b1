using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Models;
using LoraBuild.Core.Planning;

namespace LoraBuild.Core.Tests.Planning;

public class ModelPresetsTests
{
    [Theory]
    [InlineData("llama-2-7b", 6_738_415_616)]
    [InlineData("llama-2-13b", 13_015_864_320)]
    [InlineData("llama-3-8b", 8_030_261_248)]
    [InlineData("mistral-7b", 7_241_732_096)]
    public void EachPresetHasItsPublishedParameterCount(string name, long parameters)
    {
        Assert.Equal(parameters, ParameterCounts.For(ModelPresets.Load(name)).Total);
    }

    [Fact]
    public void PresetNamesIgnoreCase()
    {
        Assert.Equal(ParameterCounts.For(ModelPresets.Load("llama-2-7b")), ParameterCounts.For(ModelPresets.Load(" Llama-2-7B ")));
    }

    [Fact]
    public void AnUnknownPresetListsTheKnownOnes()
    {
        var error = Assert.Throws<LoraException>(() => ModelPresets.Load("llama-9-1t"));

        Assert.Equal(PlanErrorCodes.PresetUnknown, error.Code);
        Assert.Contains("mistral-7b", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABadConfigFileIsNamedInTheError()
    {
        using var folder = new TempDirectory();
        var path = folder.Write("config.json", """{ "architectures": ["LlamaForCausalLM"], "hidden_size": "wide" }""");

        var error = Assert.Throws<LoraException>(() => ModelPresets.LoadConfigFile(path));

        Assert.Equal(PlanErrorCodes.ConfigInvalid, error.Code);
        Assert.Equal(path, error.Location);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("hidden_size", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingConfigFileIsNamedInTheError()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "absent.json");

        var error = Assert.Throws<LoraException>(() => ModelPresets.LoadConfigFile(path));

        Assert.Equal(PlanErrorCodes.ConfigInvalid, error.Code);
        Assert.Equal(path, error.Location);
    }
}
