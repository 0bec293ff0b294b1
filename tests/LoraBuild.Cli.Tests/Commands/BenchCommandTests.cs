using System.Text.Json;
using LoraBuild.Engine.Native;

namespace LoraBuild.Cli.Tests.Commands;

public class BenchCommandTests
{
    [Fact]
    public void EachPathRunsInItsOwnProcessAndOnLinuxAgainForItsLiveMemoryPeak()
    {
        var directory = Directory.CreateTempSubdirectory("lora-bench-");
        try
        {
            var json = Path.Combine(directory.FullName, "bench.json");
            var markdown = Path.Combine(directory.FullName, "bench.md");

            var (exitCode, output, error) = CliRun.Invoke(
                "bench", "--layers", "2", "--hidden", "32", "--intermediate", "64", "--heads", "4", "--vocab", "64",
                "--seq", "8", "--batch", "2", "--steps", "1", "--warmup-steps", "1", "--matmul-size", "64",
                "--json", json, "--markdown", markdown);

            Assert.True(exitCode == 0, error + output);
            using var results = JsonDocument.Parse(File.ReadAllText(json));
            var paths = results.RootElement.EnumerateArray().ToList();
            Assert.Equal(["fp32", "bf16", "nf4"], paths.Select(result => result.GetProperty("path").GetString()));
            foreach (var result in paths)
            {
                var livePeak = result.GetProperty("allocation_peak_over_baseline_bytes");
                if (OperatingSystem.IsLinux())
                {
                    // Only a child that found the exact-allocation heap set up reports this, so it proves the environment reached it.
                    Assert.Equal(JsonValueKind.Number, livePeak.ValueKind);
                    Assert.Equal(HeapModes.Tuned, result.GetProperty("heap").GetString());
                }
                else
                {
                    Assert.Equal(JsonValueKind.Null, livePeak.ValueKind);
                }
            }

            Assert.Contains("live memory peak over baseline", File.ReadAllText(markdown), StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
