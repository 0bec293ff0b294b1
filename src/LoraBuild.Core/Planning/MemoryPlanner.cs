using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Models;

namespace LoraBuild.Core.Planning;

/// <summary>Predicts a fine-tuning run's peak GPU memory: the counted parts plus calibrated activations and overhead.</summary>
public static class MemoryPlanner
{
    /// <summary>The plan for training <paramref name="config"/> with <paramref name="settings"/>.</summary>
    /// <exception cref="LoraException">The settings are invalid (LORA1404, LORA1405) or the targets fit no layer (LORA1001, LORA3001).</exception>
    public static MemoryPlan Plan(ModelConfig config, PlanSettings settings) =>
        new() { Estimate = MemoryModel.Estimate(config, settings), Calibration = MemoryCalibration.Constants };
}
