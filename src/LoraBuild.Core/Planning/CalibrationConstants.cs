namespace LoraBuild.Core.Planning;

/// <summary>The planner's fitted constants.</summary>
/// <param name="ActivationFactor">The factor on the raw activation inventory (backward temporaries, allocator rounding).</param>
/// <param name="OverheadBytes">A fixed term every run pays (library workspaces and buffers the count leaves out).</param>
public sealed record CalibrationConstants(double ActivationFactor, double OverheadBytes);
