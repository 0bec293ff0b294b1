using LoraBuild.Core.Evaluation.Outputs;

namespace LoraBuild.Engine.Evaluation;

/// <summary>Pairs the base model's and the adapted model's answers into the content of <c>eval_outputs.json</c>.</summary>
public static class EvalOutputsBuilder
{
    /// <param name="before">The base model's report.</param>
    /// <param name="after">The adapted model's report on the same suites.</param>
    /// <param name="baseDirectory">The project or spec folder that sample sources are written relative to.</param>
    public static EvalOutputs Create(GenerationReport before, GenerationReport after, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(baseDirectory);
        if (before.Samples.Count != after.Samples.Count)
        {
            throw new ArgumentException($"The reports have {before.Samples.Count} and {after.Samples.Count} samples; both must answer the same prompts.", nameof(after));
        }

        var samples = new List<EvalOutputSample>(before.Samples.Count);
        for (var i = 0; i < before.Samples.Count; i++)
        {
            var (b, a) = (before.Samples[i], after.Samples[i]);
            if (b.Source != a.Source || b.Prompt != a.Prompt || b.Expected != a.Expected)
            {
                throw new ArgumentException($"Sample {i} is {b.Source} before and {a.Source} after; both reports must answer the same prompts in the same order.", nameof(after));
            }

            samples.Add(new EvalOutputSample(
                i,
                EvalSource.Relative(b.Source, baseDirectory),
                b.Prompt,
                b.Expected,
                new EvalAnswer(b.Output, b.Scores),
                new EvalAnswer(a.Output, a.Scores)));
        }

        return EvalOutputs.Create(after.Suites, samples);
    }
}
