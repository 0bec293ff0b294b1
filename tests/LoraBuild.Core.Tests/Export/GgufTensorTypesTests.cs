using LoraBuild.Core.Export;
using LoraBuild.Core.Gguf;
using LoraBuild.Core.Tests.Data;

namespace LoraBuild.Core.Tests.Export;

public class GgufTensorTypesTests
{
    [Theory]
    [InlineData("f32", GgmlType.F32)]
    [InlineData("F32", GgmlType.F32)]
    [InlineData("f16", GgmlType.F16)]
    [InlineData("F16", GgmlType.F16)]
    [InlineData("bf16", GgmlType.BF16)]
    [InlineData("BF16", GgmlType.BF16)]
    [InlineData("q8_0", GgmlType.Q8_0)]
    [InlineData("Q8_0", GgmlType.Q8_0)]
    public void NamesParseInAnyCase(string name, GgmlType type) => Assert.Equal(type, GgufTensorTypes.Parse(name, "LoraExportType"));

    [Theory]
    [InlineData("q4_0")]
    [InlineData("q8")]
    [InlineData("float16")]
    [InlineData(" f16")]
    [InlineData("")]
    public void OtherNamesAreUnknownTensorTypes(string name)
    {
        var exception = LoraAssert.Throws(ExportErrorCodes.TensorTypeUnknown, "Lora.csproj: LoraExportType", () => GgufTensorTypes.Parse(name, "Lora.csproj: LoraExportType"));

        Assert.Contains($"'{name}'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("f32, f16, bf16, q8_0", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANullNameIsAnUnknownTensorType() =>
        LoraAssert.Throws(ExportErrorCodes.TensorTypeUnknown, "spec", () => GgufTensorTypes.Parse(null!, "spec"));

    [Theory]
    [InlineData(GgmlType.F16)]
    [InlineData(GgmlType.BF16)]
    [InlineData(GgmlType.Q8_0)]
    [InlineData(GgmlType.F32)]
    public void OneDimensionalTensorsStayF32(GgmlType requested)
    {
        Assert.Equal(GgmlType.F32, GgufTensorTypes.ForTensor(requested, [4096]));
        Assert.Equal(GgmlType.F32, GgufTensorTypes.ForTensor(requested, [64]));
    }

    [Theory]
    [InlineData(GgmlType.F32, 64, GgmlType.F32)]
    [InlineData(GgmlType.F16, 48, GgmlType.F16)]
    [InlineData(GgmlType.BF16, 48, GgmlType.BF16)]
    [InlineData(GgmlType.Q8_0, 64, GgmlType.Q8_0)]
    [InlineData(GgmlType.Q8_0, 4096, GgmlType.Q8_0)]
    [InlineData(GgmlType.Q8_0, 48, GgmlType.F16)] // rows not a multiple of 32: Q8_0 blocks cannot hold them
    [InlineData(GgmlType.Q8_0, 16, GgmlType.F16)]
    [InlineData(GgmlType.Q8_0, 33, GgmlType.F16)]
    public void MatricesTakeTheRequestedTypeUnlessQ8CannotHoldTheirRows(GgmlType requested, long columns, GgmlType stored) =>
        Assert.Equal(stored, GgufTensorTypes.ForTensor(requested, [96, columns]));

    [Fact]
    public void Q8DependsOnTheInnermostDimensionOnly()
    {
        Assert.Equal(GgmlType.Q8_0, GgufTensorTypes.ForTensor(GgmlType.Q8_0, [3, 5, 32]));
        Assert.Equal(GgmlType.F16, GgufTensorTypes.ForTensor(GgmlType.Q8_0, [32, 32, 5]));
    }

    [Theory]
    [InlineData(GgmlType.F32, 0u)]
    [InlineData(GgmlType.F16, 1u)]
    [InlineData(GgmlType.Q8_0, 7u)]
    [InlineData(GgmlType.BF16, 32u)]
    public void FileTypesAreLlamaFtypes(GgmlType type, uint fileType) => Assert.Equal(fileType, GgufTensorTypes.FileType(type));

    [Fact]
    public void EveryListedNameParses() =>
        Assert.Equal([GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0], GgufTensorTypes.Names.Select(name => GgufTensorTypes.Parse(name, "x")));
}
