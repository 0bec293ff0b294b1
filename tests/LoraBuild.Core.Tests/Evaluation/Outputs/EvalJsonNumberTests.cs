using LoraBuild.Core.Evaluation.Outputs;

namespace LoraBuild.Core.Tests.Evaluation.Outputs;

public class EvalJsonNumberTests
{
    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(1.0, "1")]
    [InlineData(42.0, "42")]
    [InlineData(0.5, "0.5")]
    [InlineData(0.1, "0.1")]
    [InlineData(1 / 3.0, "0.3333333333333333")]
    [InlineData(1e-5, "1e-5")]
    [InlineData(1.25e-7, "1.25e-7")]
    [InlineData(1.5e20, "1.5e20")]
    [InlineData(1.5e300, "1.5e300")]
    [InlineData(-2.5, "-2.5")]
    public void EachNumberHasOneText(double value, string text) => Assert.Equal(text, EvalJsonNumber.Format(value));

    [Fact]
    public void NegativeZeroIsZero() => Assert.Equal("0", EvalJsonNumber.Format(-0.0));

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.NegativeInfinity)]
    public void NonFiniteNumbersAreRefused(double value) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => EvalJsonNumber.Format(value));
}
