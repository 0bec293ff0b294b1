using LoraBuild.Core.Manifests;
using LoraBuild.Core.Packaging;

namespace LoraBuild.Core.Tests.Packaging;

public class PackagedManifestTests
{
    [Fact]
    public void MachineTimingsAreDroppedAndEverythingElseIsKept()
    {
        var trained = SampleManifests.SupportTriage();

        var packaged = PackagedManifest.From(trained);

        Assert.Equal(["loss_final", "loss_first", "steps"], packaged.Metrics.Train.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(trained.Fingerprint, packaged.Fingerprint);
        Assert.Same(trained.Metrics.Eval, packaged.Metrics.Eval);
        Assert.Equal(6, trained.Metrics.Train.Count);
    }

    [Fact]
    public void TwoRunsThatDifferOnlyInSpeedPackageTheSameBytes()
    {
        var fast = SampleManifests.SupportTriage();
        var slow = fast with
        {
            Metrics = fast.Metrics with
            {
                Train = new Dictionary<string, double>(fast.Metrics.Train) { ["wall_seconds"] = 99, ["tokens_per_second"] = 3, ["peak_memory_bytes"] = 1 },
            },
        };

        Assert.NotEqual(TrainingManifestJson.Serialize(fast), TrainingManifestJson.Serialize(slow));
        Assert.Equal(TrainingManifestJson.Serialize(PackagedManifest.From(fast)), TrainingManifestJson.Serialize(PackagedManifest.From(slow)));
    }
}
