using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Packaging;

namespace LoraBuild.Core.Tests.Packaging;

public class AdapterPackageLayoutTests
{
    [Theory]
    [InlineData("SupportTriage")]
    [InlineData("triage-v2.1_b")]
    public void PlainNamesAreAccepted(string name) => AdapterPackageLayout.ValidateAdapterName(name);

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("has space")]
    [InlineData("naïve")]
    public void NamesThatAreNotOneSafeFolderAreRejectedWithTheirLocation(string name)
    {
        var error = Assert.Throws<LoraException>(() => AdapterPackageLayout.ValidateAdapterName(name, "LoraAdapter 'x'"));

        Assert.Equal(PackagingErrorCodes.AdapterNameInvalid, error.Code);
        Assert.Equal("LoraAdapter 'x'", error.Location);
    }

    [Fact]
    public void PackagePathsUseForwardSlashesUnderLora() =>
        Assert.Equal("lora/Triage/adapter_model.safetensors", AdapterPackageLayout.PackagePath("Triage", AdapterPackageLayout.WeightsFileName));
}
