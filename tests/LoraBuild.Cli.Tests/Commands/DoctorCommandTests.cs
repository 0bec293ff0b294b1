namespace LoraBuild.Cli.Tests.Commands;

public class DoctorCommandTests
{
    [Fact]
    public void ReportsTheNativeFixAndTheMatmulProbe()
    {
        var (exitCode, output, error) = CliRun.Invoke("doctor", "--size", "128");

        Assert.True(exitCode == 0, error);
        Assert.Contains("libtorch", output, StringComparison.Ordinal);
        Assert.Matches("native fix +│ (applied|not needed)", output);
        Assert.Matches(@"matmul fp32 n=128 +│ [0-9]+\.[0-9] GFLOP/s", output);
        Assert.Matches(@"matmul bf16 n=128 +│ [0-9]+\.[0-9] GFLOP/s", output);
    }
}
