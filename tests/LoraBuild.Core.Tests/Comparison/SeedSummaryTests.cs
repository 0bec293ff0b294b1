using LoraBuild.Core.Comparison;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Tests.Comparison;

public class SeedSummaryTests
{
    private static SeedSummary Study() => SeedSummary.Create(
    [
        Manifests.Of("Triage", 43, Train(0.5, 900), before: new() { ["exact_match"] = 0, ["loss"] = 3 }, after: new() { ["exact_match"] = 0.75, ["loss"] = 1.5 }),
        Manifests.Of("Triage", 42, Train(0.25, 1000), before: new() { ["exact_match"] = 0, ["loss"] = 3 }, after: new() { ["exact_match"] = 0.875, ["loss"] = 1 }),
        Manifests.Of("Triage", 44, Train(0.75, 1100), before: new() { ["exact_match"] = 0, ["loss"] = 3 }, after: new() { ["exact_match"] = 0.875, ["loss"] = 2 }),
    ]);

    [Fact]
    public void RunsAreInSeedOrderAndEveryMetricHasStatistics()
    {
        var summary = Study();

        Assert.Equal("Triage", summary.Adapter);
        Assert.Equal([42, 43, 44], summary.Runs.Select(r => r.Seed));
        Assert.Equal(
            ["eval.after.exact_match", "eval.after.loss", "eval.before.exact_match", "eval.before.loss", "train.loss_final", "train.steps"],
            summary.Metrics.Keys);
        Assert.Equal(1.5, summary.Metrics["eval.after.loss"].Mean);
        Assert.Equal(0.5, summary.Metrics["eval.after.loss"].StandardDeviation);
        Assert.Equal(0, summary.Metrics["eval.before.exact_match"].StandardDeviation);
    }

    [Fact]
    public void TimingsAndMemoryAreLeftOut()
    {
        var summary = Study();

        Assert.DoesNotContain(summary.Metrics.Keys, k => k.Contains("seconds", StringComparison.Ordinal) || k.Contains("memory", StringComparison.Ordinal));
        Assert.Equal(["loss_final", "steps"], summary.Runs[0].Train.Keys);
    }

    [Fact]
    public void TheFileHasOneLayoutAndCanonicalNumbers()
    {
        var json = SeedSummaryJson.Serialize(SeedSummary.Create(
        [
            Manifests.Of("T", 2, Train(0.25, 10), after: new() { ["exact_match"] = 1 }),
            Manifests.Of("T", 1, Train(0.5, 10), after: new() { ["exact_match"] = 0.5 }),
        ]));

        Assert.Equal(
            """
            {
              "version": 1,
              "adapter": "T",
              "standardDeviation": "sample (n - 1)",
              "runs": [
                {
                  "seed": 1,
                  "fingerprint": "0000000000000000000000000000000000000000000000000000000000000001",
                  "train": {
                    "loss_final": 0.5,
                    "steps": 10
                  },
                  "eval": {
                    "before": {},
                    "after": {
                      "exact_match": 0.5
                    }
                  }
                },
                {
                  "seed": 2,
                  "fingerprint": "0000000000000000000000000000000000000000000000000000000000000002",
                  "train": {
                    "loss_final": 0.25,
                    "steps": 10
                  },
                  "eval": {
                    "before": {},
                    "after": {
                      "exact_match": 1
                    }
                  }
                }
              ],
              "metrics": {
                "eval.after.exact_match": {
                  "n": 2,
                  "mean": 0.75,
                  "std": 0.3535533905932738,
                  "min": 0.5,
                  "max": 1
                },
                "train.loss_final": {
                  "n": 2,
                  "mean": 0.375,
                  "std": 0.1767766952966369,
                  "min": 0.25,
                  "max": 0.5
                },
                "train.steps": {
                  "n": 2,
                  "mean": 10,
                  "std": 0,
                  "min": 10,
                  "max": 10
                }
              }
            }

            """,
            json);
    }

    [Fact]
    public void WritingTheSameSummaryAgainLeavesTheFileAlone()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, SeedRuns.SummaryFileName);

        Assert.True(SeedSummaryJson.WriteFile(Study(), path));
        Assert.False(SeedSummaryJson.WriteFile(Study(), path));
        Assert.Equal(SeedSummaryJson.Serialize(Study()), File.ReadAllText(path));
    }

    [Fact]
    public void RunsOfTwoAdaptersOrOneSeedTwiceAreRejected()
    {
        Assert.Equal(ComparisonErrorCodes.SeedRunsInconsistent, Assert.Throws<LoraException>(() => SeedSummary.Create([Manifests.Of("A", 1), Manifests.Of("B", 2)])).Code);
        Assert.Equal(ComparisonErrorCodes.SeedRunsInconsistent, Assert.Throws<LoraException>(() => SeedSummary.Create([Manifests.Of("A", 1), Manifests.Of("A", 1)])).Code);
        Assert.Equal(ComparisonErrorCodes.SeedRunsInconsistent, Assert.Throws<LoraException>(() => SeedSummary.Create([])).Code);
    }

    private static Dictionary<string, double> Train(double lossFinal, double wallSeconds) => new()
    {
        ["loss_final"] = lossFinal,
        ["steps"] = 10,
        ["wall_seconds"] = wallSeconds,
        ["tokens_per_second"] = 1234.5,
        ["peak_memory_bytes"] = 1 << 20,
    };
}
