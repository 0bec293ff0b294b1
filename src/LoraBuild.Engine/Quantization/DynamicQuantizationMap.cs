namespace LoraBuild.Engine.Quantization;

/// <summary>
/// The signed 8-bit "dynamic" code bitsandbytes uses for blockwise 8-bit quantization, and so for the second level of
/// NF4 double quantization: for each decade <c>10^-6 … 10^0</c>, the midpoints of an evenly spaced split of
/// [0.1, 1] into 2^i parts (i = 0 … 6), both signs, plus 0 and 1 — 256 values, ascending.
/// </summary>
public static class DynamicQuantizationMap
{
    private const int ExponentSteps = 7;

    /// <summary>The 256 values, ascending.</summary>
    public static IReadOnlyList<float> Values { get; } = Build();

    private static float[] Build()
    {
        var values = new List<float>(256);
        for (var i = 0; i < ExponentSteps; i++)
        {
            var parts = 1 << i;
            var decade = (float)Math.Pow(10, i - (ExponentSteps - 1));
            for (var part = 0; part < parts; part++)
            {
                var mean = (Boundary(part, parts) + Boundary(part + 1, parts)) / 2f;
                values.Add(decade * mean);
                values.Add(-decade * mean);
            }
        }

        values.Add(0);
        values.Add(1);
        return [.. values.Order()];
    }

    /// <summary>
    /// Point <paramref name="index"/> of an even split of [0.1, 1] into <paramref name="parts"/> intervals, in float32
    /// and from the nearer end, the way torch.linspace computes it, following bitsandbytes' construction step by step.
    /// </summary>
    private static float Boundary(int index, int parts)
    {
        const float start = 0.1f;
        const float end = 1f;
        var step = (end - start) / parts;
        var points = parts + 1;
        return index < points / 2 ? start + (step * index) : end - (step * (parts - index));
    }
}
