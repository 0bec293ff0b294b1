using LoraBuild.Core.Diagnostics;
using LoraBuild.Engine.Quantization;
using LoraBuild.Engine.Tensors;
using LoraBuild.Engine.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Lora;

/// <summary>
/// A frozen linear layer plus a trainable low-rank update, as PEFT's <c>lora.Linear</c>:
/// <c>y = base(x) + lora_B(lora_A(dropout(x))) · scale</c>. Children are registered as <c>base_layer</c>,
/// <c>lora_A</c> ([r, in], no bias) and <c>lora_B</c> ([out, r], no bias), so a model's state dict reads
/// <c>…q_proj.base_layer.weight</c>, <c>…q_proj.lora_A.weight</c> and <c>…q_proj.lora_B.weight</c>.
/// </summary>
/// <remarks>
/// The LoRA matrices keep their own dtype (float32 by default) whatever the base weight's: the input is cast to it for
/// the LoRA path, base and LoRA outputs are added with type promotion, and the sum is cast back to the base output's
/// dtype — PEFT's order of operations. Merging folds <c>scale · B·A</c> into the base weight (see <see cref="Merge"/>).
/// </remarks>
public sealed class LoraLinear : nn.Module<Tensor, Tensor>, IStochasticModule
{
    private readonly nn.Module<Tensor, Tensor> _baseLayer;
    private readonly Linear _loraA;
    private readonly Linear _loraB;

    /// <summary>
    /// Wraps <paramref name="baseLayer"/>, freezing its weight and bias. <c>lora_A</c> is drawn with
    /// <see cref="KaimingUniform.Fill"/> from <paramref name="initGenerator"/> (one draw of r·in values, on the
    /// generator's device, then moved to the base weight's device); <c>lora_B</c> starts at zero.
    /// </summary>
    /// <param name="baseLayer">The layer to adapt; it becomes this module's <c>base_layer</c>.</param>
    /// <param name="rank">r, the inner dimension of the update.</param>
    /// <param name="alpha">lora_alpha.</param>
    /// <param name="useRslora">Scale by alpha/√r instead of alpha/r.</param>
    /// <param name="dropout">Dropout probability on the LoRA input in training mode, in [0, 1).</param>
    /// <param name="initGenerator">The generator <c>lora_A</c> is drawn from.</param>
    /// <param name="dropoutGenerator">The generator dropout masks are drawn from; required when <paramref name="dropout"/> &gt; 0.</param>
    /// <param name="loraDType">The dtype of <c>lora_A</c> and <c>lora_B</c>; float32 unless a test needs float64.</param>
    public LoraLinear(
        nn.Module<Tensor, Tensor> baseLayer,
        int rank,
        double alpha,
        bool useRslora,
        double dropout,
        Generator initGenerator,
        Generator? dropoutGenerator,
        ScalarType loraDType = ScalarType.Float32)
        : base(nameof(LoraLinear))
    {
        ArgumentNullException.ThrowIfNull(baseLayer);
        ArgumentNullException.ThrowIfNull(initGenerator);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rank);
        if (!double.IsFinite(alpha) || alpha <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "Alpha must be a positive number.");
        }

        if (!(dropout is >= 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "Dropout must be in [0, 1).");
        }

        if (loraDType is not (ScalarType.Float32 or ScalarType.Float64 or ScalarType.BFloat16 or ScalarType.Float16))
        {
            throw new ArgumentException($"LoRA matrices must be floating point, not {loraDType}.", nameof(loraDType));
        }

        Rank = rank;
        Alpha = alpha;
        Scale = useRslora ? alpha / Math.Sqrt(rank) : alpha / rank;
        DropoutProbability = dropout;
        Generator = dropoutGenerator;
        _baseLayer = baseLayer;

        (InFeatures, OutFeatures, var device) = baseLayer switch
        {
            Linear linear => (linear.weight.shape[1], linear.weight.shape[0], linear.weight.device),
            QuantizedLinear quantized => (quantized.InFeatures, quantized.OutFeatures, quantized.Weight.Device),
            _ => throw new ArgumentException($"LoRA wraps a Linear or a QuantizedLinear layer, not {baseLayer.GetType().Name}.", nameof(baseLayer)),
        };

        using (no_grad())
        {
            foreach (var parameter in baseLayer.parameters())
            {
                parameter.requires_grad = false;
            }

            using var a = empty([rank, InFeatures], loraDType, initGenerator.device);
            KaimingUniform.Fill(a, initGenerator);
            _loraA = nn.Linear(new Parameter(a.to(device), requires_grad: true), null);
            _loraB = nn.Linear(new Parameter(zeros([OutFeatures, rank], loraDType, device), requires_grad: true), null);
        }

        register_module("base_layer", _baseLayer);
        register_module("lora_A", _loraA);
        register_module("lora_B", _loraB);
    }

    /// <summary>The wrapped, frozen layer (<c>base_layer</c>): a <see cref="Linear"/>, or a <see cref="QuantizedLinear"/> for QLoRA.</summary>
    public nn.Module<Tensor, Tensor> BaseLayer => _baseLayer;

    /// <summary>The down projection (<c>lora_A</c>, weight [r, in]).</summary>
    public Linear LoraA => _loraA;

    /// <summary>The up projection (<c>lora_B</c>, weight [out, r]).</summary>
    public Linear LoraB => _loraB;

    public int Rank { get; }

    public double Alpha { get; }

    /// <summary>alpha/r, or alpha/√r with rsLoRA.</summary>
    public double Scale { get; }

    public double DropoutProbability { get; }

    /// <summary>The generator dropout masks are drawn from; the trainer sets its run's seeded generator here.</summary>
    public Generator? Generator { get; set; }

    public long InFeatures { get; }

    public long OutFeatures { get; }

    /// <summary>Whether <c>scale·B·A</c> is folded into the base weight; forward then skips the LoRA path.</summary>
    public bool Merged { get; private set; }

    /// <summary>When false, forward returns the base layer's output alone (the LoRA matrices are kept).</summary>
    public bool AdapterEnabled { get; set; } = true;

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (Merged || !AdapterEnabled)
        {
            return _baseLayer.call(input);
        }

        using var scope = NewDisposeScope();
        var result = _baseLayer.call(input);
        var loraDType = _loraA.weight.dtype;
        var x = input.dtype == loraDType ? input : input.to_type(loraDType);
        if (training && DropoutProbability > 0)
        {
            x = SeededDropout.Apply(x, DropoutProbability, Generator ?? throw new InvalidOperationException("LoRA dropout needs a seeded generator; the trainer sets one."));
        }

        using var scale = Scale.ToScalar();
        var update = _loraB.call(_loraA.call(x)).mul(scale);
        var sum = result.Plus(update);
        var output = sum.dtype == result.dtype ? sum : sum.to_type(result.dtype);
        return output.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <c>scale · B·A</c> ([out, in]), computed in float32 (float64 when either side is float64); the caller owns it.
    /// </summary>
    public Tensor DeltaWeight()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var computeType = ComputeType();
        using var scale = Scale.ToScalar();
        var delta = _loraB.weight.to_type(computeType).matmul(_loraA.weight.to_type(computeType)).mul(scale);
        return delta.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Folds the update into the base weight: W ← round(W + scale·B·A), added in float32 (or float64) and written back
    /// in W's dtype. Returns false, changing nothing, when already merged.
    /// </summary>
    public bool Merge() => ApplyDelta(merge: true);

    /// <summary>Subtracts the update again (W ← round(W − scale·B·A)). Returns false when not merged.</summary>
    /// <remarks>With a float32 base this restores W to within rounding; a bfloat16 base loses up to one unit in the last place per merge/unmerge.</remarks>
    public bool Unmerge() => ApplyDelta(merge: false);

    private bool ApplyDelta(bool merge)
    {
        if (Merged == merge)
        {
            return false;
        }

        if (_baseLayer is not Linear linear)
        {
            throw new LoraException(
                LoraEngineErrorCodes.MergeIntoQuantizedBase,
                "This LoRA layer sits on a quantized (NF4, FP4 or int8) base weight, which cannot take the update in place. Merge the adapter into the original, unquantized base model instead (`dotnet lora merge --model <base> --adapter <adapter>`).");
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var weight = linear.weight;
        var delta = DeltaWeight();
        var wide = weight.to_type(delta.dtype);
        var updated = merge ? wide.Plus(delta) : wide.sub(delta);
        weight.copy_(updated.to_type(weight.dtype));
        Merged = merge;
        return true;
    }

    private ScalarType ComputeType() =>
        _loraA.weight.dtype == ScalarType.Float64 || (_baseLayer as Linear)?.weight.dtype == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32;
}
