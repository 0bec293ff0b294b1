using LoraBuild.Core.Adapters;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Lora;
using LoraBuild.Core.Models;
using LoraBuild.Core.Planning;

namespace LoraBuild.Core.Tests.Planning;

public class MemoryModelTests
{
    private static MemoryEstimate Estimate(PlanSettings settings) => MemoryModel.Estimate(MicroModel.Config, settings);

    [Fact]
    public void TrainableCountOnQueryAndValueIsRTimesInPlusOutPerLayer()
    {
        // Per layer: q 4·(32+32) = 256, v 4·(32+16) = 192; two layers.
        var estimate = Estimate(new PlanSettings { Rank = 4, Targets = AdapterTargets.ParseSpec("q_proj,v_proj") });

        Assert.Equal(896, estimate.TrainableParameterCount);
        Assert.Equal(896 * 4, estimate.TrainableParameters);
    }

    [Fact]
    public void AllLinearLeavesOutTheOutputHeadUnlessItIsNamed()
    {
        // Per layer at r=2: q 128, k 96, v 96, o 128, gate 192, up 192, down 192 = 1024; the head adds 2·(32+100) = 264.
        var allLinear = Estimate(new PlanSettings { Rank = 2, Targets = AdapterTargets.ParseSpec("all-linear") });
        var withHead = Estimate(new PlanSettings { Rank = 2, Targets = AdapterTargets.ParseSpec("all-linear,lm_head") });

        Assert.Equal(2048, allLinear.TrainableParameterCount);
        Assert.Equal(2048 + 264, withHead.TrainableParameterCount);
    }

    [Fact]
    public void DecoderLayerInventoryCountsEachSavedTensor()
    {
        // bf16: norms 2·4·32 = 256, attention 2·4·32 + 4·4 = 272, MLP 3·2·64 = 384.
        Assert.Equal(912, ActivationInventory.DecoderLayerPerToken(MicroModel.Config, ComputePrecision.Bf16, linearInputsSaved: false));

        // Linear inputs add 2·(32 + 32 + 32 + 64).
        Assert.Equal(912 + 320, ActivationInventory.DecoderLayerPerToken(MicroModel.Config, ComputePrecision.Bf16, linearInputsSaved: true));
    }

    [Fact]
    public void Nf4BaseStoresOnlyTheDecoderLinearLayersInFourBits()
    {
        var dense = Estimate(new PlanSettings());
        var nf4 = Estimate(new PlanSettings { Quantization = BaseQuantization.Nf4, DoubleQuantization = false });

        // Seven projections per layer: 4 attention (32·32, 32·16, 32·16, 32·32) and 3 MLP (32·64 each).
        long[] shapes = [1024, 512, 512, 1024, 2048, 2048, 2048];
        Assert.Equal(2 * shapes.Sum(elements => FourBitStorage.Bytes(elements, doubleQuantization: false)), nf4.QuantizedBaseWeights);
        Assert.Equal(dense.DenseBaseWeights - (2 * 2 * shapes.Sum()), nf4.DenseBaseWeights);
    }

    [Fact]
    public void Fp4BaseIsPlannedAsTheSameBytesAsNf4AndIsReadFromItsName()
    {
        var nf4 = Estimate(new PlanSettings { Quantization = PlanChoiceParser.Quantization("nf4") });
        var fp4 = Estimate(new PlanSettings { Quantization = PlanChoiceParser.Quantization(" FP4 ") });

        Assert.True(fp4.QuantizedBaseWeights > 0);
        Assert.Equal(nf4, fp4);
        var error = Assert.Throws<LoraException>(() => PlanChoiceParser.Quantization("int3"));
        Assert.Contains("none, nf4, fp4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Int8BaseStoresAByteAndEachRowAFloatAbsmax()
    {
        var dense = Estimate(new PlanSettings());
        var int8 = Estimate(new PlanSettings { Quantization = PlanChoiceParser.Quantization("int8") });

        // The seven projections' [out, in] shapes per layer, two layers.
        (long Rows, long Columns)[] shapes = [(32, 32), (16, 32), (16, 32), (32, 32), (64, 32), (64, 32), (32, 64)];
        Assert.Equal(2 * shapes.Sum(shape => (shape.Rows * shape.Columns) + (4 * shape.Rows)), int8.QuantizedBaseWeights);
        Assert.Equal((64 * 32) + (64 * 4), Int8Storage.Bytes(64, 32));
        Assert.Equal(dense.DenseBaseWeights - (2 * 2 * shapes.Sum(shape => shape.Rows * shape.Columns)), int8.DenseBaseWeights);
    }

    [Fact]
    public void OptimizerStateGrowsFromSgdToLionToAdamW()
    {
        long State(OptimizerKind optimizer) => Estimate(new PlanSettings { Optimizer = optimizer }).OptimizerState;

        Assert.Equal(0, State(OptimizerKind.Sgd));
        Assert.True(State(OptimizerKind.Sgd) < State(OptimizerKind.Lion));
        Assert.Equal(State(OptimizerKind.Lion), State(OptimizerKind.SgdMomentum));
        Assert.True(State(OptimizerKind.Lion) < State(OptimizerKind.AdamW));
        Assert.Equal(State(OptimizerKind.AdamW), State(OptimizerKind.Sophia));
        Assert.Equal(2 * Estimate(new PlanSettings()).TrainableParameters, State(OptimizerKind.AdamW));
    }

    [Fact]
    public void CheckpointingLowersActivations()
    {
        var kept = Estimate(new PlanSettings { SequenceLength = 64 });
        var checkpointed = Estimate(new PlanSettings { SequenceLength = 64, ActivationCheckpointing = true });

        Assert.True(checkpointed.RawActivations < kept.RawActivations, $"{checkpointed.RawActivations} < {kept.RawActivations}");
        Assert.Equal(kept.Counted, checkpointed.Counted);
    }

    [Fact]
    public void ActivationsAndLogitsScaleWithTokens()
    {
        var one = Estimate(new PlanSettings { SequenceLength = 50 });
        var four = Estimate(new PlanSettings { SequenceLength = 100, MicroBatch = 2 });

        Assert.Equal(4 * one.RawActivations, four.RawActivations);
        Assert.Equal(4 * one.Logits, four.Logits);
    }

    [Fact]
    public void FullFineTuningTrainsEveryParameterInTheComputeDtype()
    {
        var full = Estimate(new PlanSettings { Mode = FineTuningMode.Full });

        Assert.Equal(ParameterCounts.For(MicroModel.Config).Total, full.TrainableParameterCount);
        Assert.Equal(2, full.TrainableElementBytes);
        Assert.Equal(0, full.DenseBaseWeights);
    }

    [Fact]
    public void FullFineTuningOfAFourBitBaseIsRefused()
    {
        var error = Assert.Throws<LoraException>(() => Estimate(new PlanSettings { Mode = FineTuningMode.Full, Quantization = BaseQuantization.Nf4 }));

        Assert.Equal(PlanErrorCodes.QuantizedFullFineTuning, error.Code);
    }

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(8, 0, 1)]
    [InlineData(8, 1, -5)]
    public void CountsMustBePositive(int rank, int batch, int sequence)
    {
        var error = Assert.Throws<LoraException>(() => Estimate(new PlanSettings { Rank = rank, MicroBatch = batch, SequenceLength = sequence }));

        Assert.Equal(PlanErrorCodes.SettingInvalid, error.Code);
    }

    [Fact]
    public void ATargetTheModelLacksIsNamed()
    {
        var error = Assert.Throws<LoraException>(() => Estimate(new PlanSettings { Targets = AdapterTargets.ParseSpec("c_attn") }));

        Assert.Equal(LoraErrorCodes.UnknownTargetModule, error.Code);
        Assert.Contains("c_attn", error.Message, StringComparison.Ordinal);
    }
}
