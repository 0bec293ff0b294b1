namespace LoraBuild.Core.Data;

/// <summary>
/// One training sequence: token ids and which of them are labels. The labels are the ids where
/// <see cref="IsTarget"/> is set and ignored elsewhere; they are not shifted (the trainer predicts token
/// <c>t</c> from tokens before <c>t</c>), so position 0 is never a target.
/// </summary>
/// <param name="InputIds">The token ids.</param>
/// <param name="IsTarget">Per token, whether the loss is computed on predicting it.</param>
public sealed record TokenizedExample(int[] InputIds, bool[] IsTarget)
{
    /// <summary>The label id that loss functions skip (PyTorch's <c>ignore_index</c> default).</summary>
    public const int IgnoreIndex = -100;

    /// <summary>Where the example came from (<c>path:line</c>), for diagnostics; <see langword="null"/> when unknown.</summary>
    public string? Source { get; init; }

    /// <summary>The number of tokens.</summary>
    public int Length => InputIds.Length;

    /// <summary>The number of tokens the loss is computed on.</summary>
    public int TargetCount => IsTarget.Count(target => target);

    /// <summary>The labels: each id where <see cref="IsTarget"/> is set, <paramref name="ignoreIndex"/> elsewhere.</summary>
    public int[] Labels(int ignoreIndex = IgnoreIndex)
    {
        var labels = new int[InputIds.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = IsTarget[i] ? InputIds[i] : ignoreIndex;
        }

        return labels;
    }
}
