using LoraBuild.Engine.Tensors;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Export;

/// <summary>
/// GELU as llama.cpp's CPU backend computes it inside GeGLU (<c>ggml_vec_geglu_f32</c> with <c>GGML_GELU_FP16</c>):
/// 0 at or below −10, the input at or above 10, and otherwise the input rounded to fp16 looked up in a table of the
/// tanh-approximated GELU, itself rounded to fp16. Put in the engine's place, it leaves only float32 rounding between
/// the engine and llama.cpp.
/// </summary>
internal static class LlamaCppGelu
{
    private static readonly float[] s_table = BuildTable();

    public static Tensor Apply(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input.to_type(ScalarType.Float32);
        var bits = StorageViews.Reinterpret(x.to_type(ScalarType.Float16), ScalarType.Int16).to_type(ScalarType.Int64).bitwise_and(0xFFFF);
        var looked = tensor(s_table, device: x.device).index_select(0, bits.flatten()).view(x.shape);
        var result = where(x.le(-10), zeros_like(x), where(x.ge(10), x, looked));
        return result.to_type(input.dtype).MoveToOuterDisposeScope();
    }

    private static float[] BuildTable()
    {
        const float SqrtTwoOverPi = 0.79788456080286535587989211986876f;
        const float CoefficientA = 0.044715f;
        var table = new float[1 << 16];
        for (var bits = 0; bits < table.Length; bits++)
        {
            var x = (float)BitConverter.UInt16BitsToHalf((ushort)bits);
            var gelu = 0.5f * x * (1.0f + MathF.Tanh(SqrtTwoOverPi * x * (1.0f + (CoefficientA * x * x))));
            table[bits] = (float)(Half)gelu;
        }

        return table;
    }
}
