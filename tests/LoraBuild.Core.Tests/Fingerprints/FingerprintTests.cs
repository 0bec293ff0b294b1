using LoraBuild.Core.Fingerprints;
using LoraBuild.Core.Hub;
using LoraBuild.Core.Progress;
using LoraBuild.Core.Specs;
using LoraBuild.Core.Tests.Specs;

namespace LoraBuild.Core.Tests.Fingerprints;

public class FingerprintTests
{
    private static readonly RuntimeIdentity Cpu = new("0.1.0", "2.10.0", "cpu");

    [Fact]
    public void SameInputsGiveTheSameFingerprint()
    {
        using var fixture = new SpecFixture();
        var spec = TrainingSpecJson.ReadFile(fixture.WriteSpec());

        var first = Fingerprint.Compute(spec, new FileHashCache(null), Cpu);
        var second = Fingerprint.Compute(spec, new FileHashCache(null), Cpu);

        Assert.Equal(first.Value, second.Value);
        Assert.Matches("^[0-9a-f]{64}$", first.Value);
    }

    [Fact]
    public void HashingReportsBytesUpToTheSizeOfEveryInputFile()
    {
        using var fixture = new SpecFixture();
        var spec = TrainingSpecJson.ReadFile(fixture.WriteSpec());
        var reports = new List<WorkProgress>();

        Fingerprint.Compute(spec, ResolvedBaseModel.Local(spec.ResolvePath(spec.BaseModel!.Path!)), new FileHashCache(null), Cpu, new SynchronousProgress(reports.Add));

        Assert.NotEmpty(reports);
        var total = reports[0].Total;
        Assert.All(reports, r => Assert.Equal(total, r.Total));
        Assert.Equal(total, reports[^1].Done);
        Assert.True(reports.Zip(reports.Skip(1)).All(pair => pair.First.Done < pair.Second.Done), "the count only grows");
    }

    [Fact]
    public void EverySettingDataAndModelFileChangesIt()
    {
        using var fixture = new SpecFixture();
        var spec = TrainingSpecJson.ReadFile(fixture.WriteSpec());
        var baseline = Fingerprint.Compute(spec, new FileHashCache(null), Cpu).Value;

        Assert.NotEqual(baseline, Fingerprint.Compute(spec with { Rank = 16 }, new FileHashCache(null), Cpu).Value);
        Assert.NotEqual(baseline, Fingerprint.Compute(spec with { LearningRate = 1e-4 }, new FileHashCache(null), Cpu).Value);
        Assert.NotEqual(baseline, Fingerprint.Compute(spec, new FileHashCache(null), Cpu with { DeviceKind = "cuda" }).Value);
        Assert.NotEqual(baseline, Fingerprint.Compute(spec, new FileHashCache(null), Cpu with { LibTorchVersion = "2.11.0" }).Value);

        fixture.Directory.Write("data/train.jsonl", """{"instruction":"a","output":"c"}""");
        var afterData = Fingerprint.Compute(spec, new FileHashCache(null), Cpu).Value;
        Assert.NotEqual(baseline, afterData);

        fixture.Directory.Write("model/model.safetensors", "other weights");
        Assert.NotEqual(afterData, Fingerprint.Compute(spec, new FileHashCache(null), Cpu).Value);
    }

    [Fact]
    public void OptimizerDefaultsSpelledOutOrLeftAwayGiveOneFingerprint()
    {
        using var fixture = new SpecFixture();
        var spec = TrainingSpecJson.ReadFile(fixture.WriteSpec());
        string Of(TrainingSpec changed) => Fingerprint.Compute(changed, new FileHashCache(null), Cpu).Value;
        var lion = spec with { Optimizer = Optimizers.Lion };
        var sophia = spec with { Optimizer = Optimizers.Sophia };

        Assert.Equal(Of(spec), Of(spec with { Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8 }));
        Assert.Equal(Of(lion), Of(lion with { Beta1 = 0.9, Beta2 = 0.99 }));
        Assert.Equal(Of(sophia), Of(sophia with { Beta1 = 0.965, Beta2 = 0.99, Epsilon = 1e-15, Rho = 0.04, HessianUpdateInterval = 10 }));
        Assert.NotEqual(Of(lion), Of(lion with { Beta2 = 0.999 }));
        Assert.NotEqual(Of(sophia), Of(sophia with { Rho = 0.03 }));
        Assert.NotEqual(Of(sophia), Of(sophia with { HessianUpdateInterval = 5 }));
        Assert.Contains("\"beta2\":0.99,", Fingerprint.Compute(lion, new FileHashCache(null), Cpu).CanonicalJson, StringComparison.Ordinal);
    }

    [Fact]
    public void NamesPathsAndModelDocsDoNotChangeIt()
    {
        using var fixture = new SpecFixture();
        var spec = TrainingSpecJson.ReadFile(fixture.WriteSpec());
        var baseline = Fingerprint.Compute(spec, new FileHashCache(null), Cpu).Value;

        fixture.Directory.Write("model/README.md", "a model card");
        using var moved = new SpecFixture();
        var elsewhere = TrainingSpecJson.ReadFile(moved.WriteSpec()) with { Name = "Renamed" };

        Assert.Equal(baseline, Fingerprint.Compute(spec, new FileHashCache(null), Cpu).Value);
        Assert.Equal(baseline, Fingerprint.Compute(elsewhere, new FileHashCache(null), Cpu).Value);
    }

    [Fact]
    public void ActivationCheckpointingDoesNotChangeIt()
    {
        using var fixture = new SpecFixture();
        var spec = TrainingSpecJson.ReadFile(fixture.WriteSpec());

        var checkpointed = spec with { ActivationCheckpointing = true };

        Assert.Equal(Fingerprint.Compute(spec, new FileHashCache(null), Cpu).Value, Fingerprint.Compute(checkpointed, new FileHashCache(null), Cpu).Value);
        Assert.Contains("\"activationCheckpointing\": true", TrainingSpecJson.Serialize(checkpointed), StringComparison.Ordinal);
    }

    [Fact]
    public void TheHashCacheSkipsUnchangedFilesAndNoticesChangedOnes()
    {
        using var fixture = new SpecFixture();
        var cacheFile = Path.Combine(fixture.Directory.Path, "obj", "hashes.json");
        var file = fixture.Directory.Write("big.bin", "v1");

        var cold = new FileHashCache(cacheFile);
        var hash = cold.Hash(file);
        cold.Save();
        var warm = new FileHashCache(cacheFile);

        Assert.Equal(hash, warm.Hash(file));
        Assert.Equal(0, warm.FilesHashed);

        File.WriteAllText(file, "v2 longer");
        Assert.NotEqual(hash, warm.Hash(file));
        Assert.Equal(1, warm.FilesHashed);
    }

    [Fact]
    public void ADamagedHashCacheIsIgnored()
    {
        using var fixture = new SpecFixture();
        var cacheFile = fixture.Directory.Write("obj/hashes.json", "{ not json");
        var file = fixture.Directory.Write("f.txt", "x");

        var cache = new FileHashCache(cacheFile);

        Assert.Equal(64, cache.Hash(file).Length);
    }
}

/// <summary>An <see cref="IProgress{T}"/> that reports on the calling thread (<see cref="Progress{T}"/> posts to the thread pool).</summary>
internal sealed class SynchronousProgress(Action<WorkProgress> report) : IProgress<WorkProgress>
{
    public void Report(WorkProgress value) => report(value);
}
