using System.Text.RegularExpressions;
using LoraBuild.Engine.SafeTensors;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Export;

/// <summary>What the GGUF export tests compare with: safetensors values, llama.cpp's names and q/k row order, and tampered weight files.</summary>
internal static partial class ExportTestTensors
{
    private static readonly Dictionary<string, string> s_layerModules = new(StringComparer.Ordinal)
    {
        ["input_layernorm"] = "attn_norm",
        ["self_attn.q_proj"] = "attn_q",
        ["self_attn.k_proj"] = "attn_k",
        ["self_attn.v_proj"] = "attn_v",
        ["self_attn.o_proj"] = "attn_output",
        ["post_attention_layernorm"] = "ffn_norm",
        ["mlp.gate_proj"] = "ffn_gate",
        ["mlp.up_proj"] = "ffn_up",
        ["mlp.down_proj"] = "ffn_down",
    };

    /// <summary>Every tensor of a safetensors file or model folder, as float32 values with their shapes.</summary>
    public static Dictionary<string, (long[] Shape, float[] Values)> Read(string fileOrModelDirectory)
    {
        using var reader = Directory.Exists(fileOrModelDirectory) ? SafeTensorsModel.Open(fileOrModelDirectory) : SafeTensorsReader.Open(fileOrModelDirectory);
        var tensors = new Dictionary<string, (long[] Shape, float[] Values)>(StringComparer.Ordinal);
        foreach (var info in reader.Tensors)
        {
            using var tensor = reader.LoadTensor(info.Name, ScalarType.Float32);
            using var contiguous = tensor.contiguous();
            tensors[info.Name] = ([.. info.Shape], contiguous.data<float>().ToArray());
        }

        return tensors;
    }

    /// <summary>
    /// llama.cpp's converter's <c>permute</c> (reshape to [heads, 2, d/2, columns], swap the middle axes), written as a
    /// gather independently of <see cref="Core.Export.RotaryPermutation"/>: row r of head h takes the row that holds
    /// half r % 2, element (r % d) / 2 of that head.
    /// </summary>
    public static float[] ToLlamaCppRows(float[] values, int rows, int columns, int heads)
    {
        var headWidth = rows / heads;
        var result = new float[values.Length];
        for (var row = 0; row < rows; row++)
        {
            var head = row / headWidth;
            var withinHead = row % headWidth;
            var source = head * headWidth + (withinHead % 2) * (headWidth / 2) + withinHead / 2;
            for (var column = 0; column < columns; column++)
            {
                result[row * columns + column] = values[source * columns + column];
            }
        }

        return result;
    }

    /// <summary>Rewrites a safetensors file with one more tensor of the given shape.</summary>
    public static void AddTensor(string safetensorsPath, string name, params long[] shape)
    {
        var tensors = Read(safetensorsPath).ToDictionary(pair => pair.Key, pair => tensor(pair.Value.Values, pair.Value.Shape), StringComparer.Ordinal);
        tensors[name] = tensor(Enumerable.Repeat(0.5f, (int)shape.Aggregate(1L, (product, extent) => product * extent)).ToArray(), shape);
        try
        {
            SafeTensorsWriter.Write(safetensorsPath, tensors, new Dictionary<string, string> { ["format"] = "pt" });
        }
        finally
        {
            foreach (var value in tensors.Values)
            {
                value.Dispose();
            }
        }
    }

    /// <summary>
    /// The GGUF name of a Hugging Face parameter (<c>model.layers.1.self_attn.q_proj.weight</c> → <c>blk.1.attn_q.weight</c>)
    /// or of a PEFT LoRA matrix (<c>base_model.model.model.layers.1.self_attn.q_proj.lora_A.weight</c> → <c>blk.1.attn_q.weight.lora_a</c>),
    /// from llama.cpp's tensor table.
    /// </summary>
    public static string LlamaCppName(string name)
    {
        var lora = LoraMatrix().Match(name);
        if (lora.Success)
        {
            return LlamaCppName(lora.Groups["path"].Value + ".weight") + (lora.Groups["matrix"].Value == "A" ? ".lora_a" : ".lora_b");
        }

        switch (name)
        {
            case "model.embed_tokens.weight": return "token_embd.weight";
            case "model.norm.weight": return "output_norm.weight";
            case "lm_head.weight": return "output.weight";
        }

        var match = LayerParameter().Match(name);
        Assert.True(match.Success, name);
        return $"blk.{match.Groups["layer"].Value}.{s_layerModules[match.Groups["module"].Value]}.{match.Groups["suffix"].Value}";
    }

    [GeneratedRegex(@"^model\.layers\.(?<layer>[0-9]+)\.(?<module>.+)\.(?<suffix>weight|bias)$", RegexOptions.CultureInvariant)]
    private static partial Regex LayerParameter();

    [GeneratedRegex(@"^base_model\.model\.(?<path>.+)\.lora_(?<matrix>[AB])\.weight$", RegexOptions.CultureInvariant)]
    private static partial Regex LoraMatrix();
}
