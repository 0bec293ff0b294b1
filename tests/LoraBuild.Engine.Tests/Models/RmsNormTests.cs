using LoraBuild.Engine.Models;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Models;

public class RmsNormTests
{
    [Fact]
    public void NormalizesByRootMeanSquareThenScalesByWeight()
    {
        using var scope = NewDisposeScope();
        using var norm = new RmsNorm(4, 1e-6, ScalarType.Float32, CPU);
        using (no_grad())
        {
            norm.Weight.copy_(tensor(new float[] { 1, 0.5f, 2, 1 }));
        }

        var output = norm.call(tensor(new float[] { 1, 2, 3, 4 }).unsqueeze(0));

        // mean square = (1 + 4 + 9 + 16) / 4 = 7.5
        var inverseRms = 1 / Math.Sqrt(7.5 + 1e-6);
        TensorAssert.Equal([1 * inverseRms, 2 * inverseRms * 0.5, 3 * inverseRms * 2, 4 * inverseRms], output, 1e-6);
    }

    [Fact]
    public void LowPrecisionInputIsNormalizedInFloat32AndReturnedInItsOwnType()
    {
        using var scope = NewDisposeScope();
        using var norm = new RmsNorm(4, 1e-6, ScalarType.Float16, CPU);

        // 300² overflows float16 (max 65504): squaring in the input's own type would give inf and zero outputs.
        var input = tensor(new float[] { 300, 302, 304, 306 }).to_type(ScalarType.Float16).unsqueeze(0);

        var output = norm.call(input);

        Assert.Equal(ScalarType.Float16, output.dtype);
        var expected = new[] { 300.0, 302, 304, 306 };
        var rms = Math.Sqrt(expected.Select(v => v * v).Average());
        TensorAssert.Equal([.. expected.Select(v => v / rms)], output, 1e-2);
    }
}
