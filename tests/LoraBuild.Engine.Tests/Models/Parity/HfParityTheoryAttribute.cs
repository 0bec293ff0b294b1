namespace LoraBuild.Engine.Tests.Models.Parity;

/// <summary>
/// A theory over the Hugging Face parity fixtures. It is reported as skipped, with the reason, while the fixture
/// folder does not exist (xunit 2 has no skipping from inside a test); once the folder exists it runs, and any
/// missing file or mismatch fails.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class HfParityTheoryAttribute : TheoryAttribute
{
    public HfParityTheoryAttribute()
    {
        if (HfParityFixtures.Root is null)
        {
            Skip = $"No Hugging Face parity fixtures at tests/LoraBuild.Engine.Tests/{HfParityFixtures.RelativePath}: "
                + "run build/parity/make_reference.py where Python has torch, transformers and safetensors (see build/parity/README.md).";
        }
    }
}
