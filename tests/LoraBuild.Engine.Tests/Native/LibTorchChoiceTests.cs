using LoraBuild.Core.Diagnostics;
using LoraBuild.Engine.Native;

namespace LoraBuild.Engine.Tests.Native;

public class LibTorchChoiceTests
{
    [Fact]
    public void WithoutAnNvidiaDriverTheCpuBuildIsChosenAndSaysWhy()
    {
        var choice = LibTorchChoice.Decide("linux-x64", _ => null, () => null);

        Assert.Equal(("libtorch-cpu-linux-x64", "2.10.0"), (choice.Package.Id, choice.Package.Version));
        Assert.NotNull(choice.Package.Sha512);
        Assert.Contains("no NVIDIA driver", choice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AnNvidiaDriverChoosesTheCudaBuild()
    {
        var choice = LibTorchChoice.Decide("linux-x64", _ => null, () => LibTorchChoice.NvidiaDriverFile);

        Assert.Equal("libtorch-cuda-12.8-linux-x64", choice.Package.Id);
        Assert.True(choice.Package.IsCuda);
        Assert.Contains(LibTorchChoice.NvidiaDriverFile, choice.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cpu", "libtorch-cpu-linux-x64")]
    [InlineData("CUDA", "libtorch-cuda-12.8-linux-x64")]
    [InlineData("auto", "libtorch-cpu-linux-x64")]
    public void TheVariableForcesAFlavourWhateverTheDriver(string value, string id)
    {
        var choice = LibTorchChoice.Decide("linux-x64", name => name == LibTorchChoice.Variable ? value : null, () => value == "auto" ? null : LibTorchChoice.NvidiaDriverFile);

        Assert.Equal(id, choice.Package.Id);
    }

    [Fact]
    public void AnUnknownFlavourIsACodedError()
    {
        var error = Assert.Throws<LoraException>(() => LibTorchChoice.Decide("linux-x64", _ => "rocm", () => null));

        Assert.Equal(NativeErrorCodes.LibTorchChoiceInvalid, error.Code);
        Assert.Contains("'rocm'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PackagesLiveWhereNuGetExtractsThem()
    {
        var package = LibTorchPackage.Cpu("linux-x64");

        Assert.Equal(Path.Combine("/p", "libtorch-cpu-linux-x64", "2.10.0", "runtimes", "linux-x64", "native"), package.NativeFolderIn("/p"));
    }
}
