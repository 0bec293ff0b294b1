using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Diagnostics;

/// <summary>Measures the square-matmul rate this process gets, the yardstick that training speed is reported against.</summary>
public static class MatmulProbe
{
    /// <summary>Best-of-<paramref name="repetitions"/> GFLOP/s of an <paramref name="size"/>² matmul in <paramref name="dtype"/>.</summary>
    public static double MeasureGflops(ScalarType dtype, int size = 1024, int repetitions = 5, Device? device = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(repetitions, 1);
        using var scope = NewDisposeScope();
        var generator = new Generator(0);
        var a = randn([size, size], generator: generator).to(dtype, device ?? CPU);
        var b = randn([size, size], generator: generator).to(dtype, device ?? CPU);
        a.matmul(b).Dispose();

        var best = double.MaxValue;
        for (var i = 0; i < repetitions; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            using var product = a.matmul(b);
            if (product.device_type == DeviceType.CUDA)
            {
                cuda.synchronize();
            }

            best = Math.Min(best, stopwatch.Elapsed.TotalSeconds);
        }

        return 2.0 * size * size * size / best / 1e9;
    }
}
