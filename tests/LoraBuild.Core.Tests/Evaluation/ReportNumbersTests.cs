using LoraBuild.Core.Evaluation;

namespace LoraBuild.Core.Tests.Evaluation;

public class ReportNumbersTests
{
    [Theory]
    [InlineData(13902784.0, null, "13,902,784")]
    [InlineData(13902784.0, "memory_frozen_weights_bytes", "13,902,784 (13.3 MiB)")]
    [InlineData(3221225472.0, "peak_memory_bytes", "3,221,225,472 (3.00 GiB)")]
    [InlineData(1000.0, "memory_trainable_bytes", "1,000")]
    [InlineData(500.0, null, "500")]
    [InlineData(0.0, null, "0")]
    [InlineData(0.146407344762, null, "0.146407")]
    [InlineData(1.99680105, null, "1.9968")]
    [InlineData(7.365463, null, "7.36546")]
    [InlineData(12345.678, null, "12,345.7")]
    [InlineData(440740.25, null, "440,740.25")]
    [InlineData(0.86, null, "0.86")]
    [InlineData(0.00001234, null, "1.234e-5")]
    [InlineData(-2.5, null, "-2.5")]
    public void NumbersReadAsAPersonWritesThem(double value, string? name, string expected) =>
        Assert.Equal(expected, ReportNumbers.Format(value, name));

    [Fact]
    public void NoValueOfAnyMagnitudeIsWrittenWithADotNetExponent()
    {
        foreach (var value in new[] { 1.39028e7, 1.19603e6, 2.39206e6, 9.87654321e9, 123456.789, 1e14, 4.5e-3 })
        {
            Assert.DoesNotContain("E", ReportNumbers.Format(value), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(0.86, "+0.86")]
    [InlineData(-1.850593, "-1.851")]
    [InlineData(-6.20779, "-6.208")]
    [InlineData(0.0, "0")]
    [InlineData(25000.0, "+25,000")]
    public void AChangeIsSignedWithFourSignificantDigits(double change, string expected) =>
        Assert.Equal(expected, ReportNumbers.Change(change));
}
