using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Data;

/// <summary>A dataset cut into a training part and an evaluation part, each in the original order.</summary>
/// <param name="Train">The items to train on.</param>
/// <param name="Eval">The items held out for evaluation.</param>
public sealed record DatasetSplit<T>(IReadOnlyList<T> Train, IReadOnlyList<T> Eval);

/// <summary>Splits a dataset into train and eval parts, the same way every time for the same seed.</summary>
public static class DatasetSplitter
{
    // Keeps the split's stream apart from the per-epoch batch shuffles, which use streams 0, 1, 2, …
    private const ulong SplitStream = ulong.MaxValue;

    /// <summary>
    /// Holds out <c>round(count × evalFraction)</c> items (at least one when the fraction is above zero, and never
    /// all of them), chosen by a <see cref="SplitMix64"/> shuffle of the indices seeded with <paramref name="seed"/>.
    /// Both parts keep the items' original order.
    /// </summary>
    /// <exception cref="LoraException"><see cref="DataErrorCodes.DataSettingInvalid"/> when the fraction is not in [0, 1).</exception>
    public static DatasetSplit<T> Split<T>(IReadOnlyList<T> items, double evalFraction, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (!(evalFraction >= 0 && evalFraction < 1))
        {
            throw new LoraException(
                DataErrorCodes.DataSettingInvalid,
                $"The eval fraction must be at least 0 and below 1, but is {evalFraction.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        }

        var count = items.Count;
        var evalCount = (int)Math.Round(count * evalFraction, MidpointRounding.AwayFromZero);
        if (evalFraction > 0)
        {
            evalCount = Math.Clamp(evalCount, Math.Min(1, count - 1), Math.Max(count - 1, 0));
        }

        var order = Enumerable.Range(0, count).ToArray();
        new SplitMix64(SplitMix64.DeriveSeed(seed, SplitStream)).Shuffle(order.AsSpan());
        var isEval = new bool[count];
        foreach (var index in order.AsSpan(0, evalCount))
        {
            isEval[index] = true;
        }

        var train = new List<T>(count - evalCount);
        var eval = new List<T>(evalCount);
        for (var i = 0; i < count; i++)
        {
            (isEval[i] ? eval : train).Add(items[i]);
        }

        return new DatasetSplit<T>(train, eval);
    }
}
