using System.CommandLine;
using LoraBuild.Core.Specs;

namespace LoraBuild.Cli.Commands;

/// <summary>The <c>--device</c> option of eval, generate and merge: where the command computes.</summary>
internal static class DeviceOption
{
    public static Option<string?> Create(string whenLeftOut)
    {
        var option = new Option<string?>("--device") { Description = $"{Devices.Forms}: where to compute (default: {whenLeftOut})." };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && !Devices.IsValid(value))
            {
                result.AddError($"--device must be {Devices.Forms}, not '{value}'.");
            }
        });
        return option;
    }
}
