using LoraBuild.Core.Evaluation.Outputs;

namespace LoraBuild.Core.Tests.Evaluation.Outputs;

public class EvalSourceTests
{
    [Fact]
    public void APathUnderTheProjectBecomesRelativeAndKeepsItsLine()
    {
        var project = Path.Combine(Path.GetTempPath(), "project");

        Assert.Equal("data/eval.jsonl:12", EvalSource.Relative(Path.Combine(project, "data", "eval.jsonl") + ":12", project));
        Assert.Equal("../shared/eval.jsonl:1", EvalSource.Relative(Path.Combine(Path.GetTempPath(), "shared", "eval.jsonl") + ":1", project));
    }

    [Fact]
    public void ARelativeSourceStaysAsItIs() => Assert.Equal("data/eval.jsonl:3", EvalSource.Relative("data\\eval.jsonl:3", "/anywhere"));

    [Theory]
    [InlineData("/data/eval.jsonl:3", true)]
    [InlineData("C:\\data\\eval.jsonl:3", true)]
    [InlineData("data/eval.jsonl:3", false)]
    [InlineData("eval.jsonl", false)]
    public void AbsolutePathsAreRecognizedOnAnyPlatform(string source, bool absolute) => Assert.Equal(absolute, EvalSource.IsAbsolute(source));
}
