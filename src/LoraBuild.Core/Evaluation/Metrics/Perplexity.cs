using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Evaluation.Metrics;

/// <summary>Perplexity: the exponential of the mean next-token cross-entropy (in nats) over the target tokens.</summary>
public static class Perplexity
{
    /// <summary><c>exp(meanLoss)</c>; a loss of 0 gives 1, ln(V) gives V (a uniform guess over V tokens).</summary>
    public static double FromMeanLoss(double meanLoss)
    {
        if (!double.IsFinite(meanLoss) || meanLoss < 0)
        {
            throw new LoraException(EvalErrorCodes.InvalidLoss, $"Perplexity needs a finite, non-negative mean loss, not {meanLoss}.");
        }

        return Math.Exp(meanLoss);
    }

    /// <summary>The perplexity of <paramref name="tokenCount"/> tokens whose losses add up to <paramref name="totalLoss"/>.</summary>
    public static double FromTotalLoss(double totalLoss, long tokenCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tokenCount);
        return FromMeanLoss(totalLoss / tokenCount);
    }
}
