using System.Text.RegularExpressions;

namespace LoraBuild.Cli.Tests;

/// <summary>A command line that does not parse is one coded line naming the flag: no System.CommandLine type names, no help text.</summary>
public partial class CommandLineErrorTests
{
    [Theory]
    [InlineData(new[] { "train", "examples/SupportTriage", "--epochs", "abc" }, "--epochs: error LORA1026: 'abc' is not a valid value for --epochs: expected a whole number.")]
    [InlineData(new[] { "train", "examples/SupportTriage", "--lr", "fast" }, "--lr: error LORA1026: 'fast' is not a valid value for --lr: expected a number.")]
    [InlineData(new[] { "train", "examples/SupportTriage", "--bogus" }, "--bogus: error LORA1026: Unrecognized command or argument '--bogus'.")]
    [InlineData(new[] { "export", "--format" }, "--format: error LORA1026:")]
    [InlineData(new[] { "train" }, "spec: error LORA1026:")]
    public void AParseErrorIsOneCodedLineNamingTheFlag(string[] args, string expected)
    {
        var (exitCode, output, error) = CliRun.Invoke(args);

        Assert.Equal(1, exitCode);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
        Assert.Single(CodePattern().Matches(error + output));
        Assert.DoesNotContain("System.", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Usage:", error + output, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [GeneratedRegex(@"LORA\d{4}")]
    private static partial Regex CodePattern();
}
