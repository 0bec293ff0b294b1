using System.CommandLine;
using System.Text.Json;
using LoraBuild.Engine.Jobs;

namespace LoraBuild.Cli.Commands;

/// <summary>
/// <c>dotnet lora engine-info --json</c>: the engine version, libtorch version and device that every fingerprint
/// includes. The MSBuild task cannot load libtorch, so it asks this once per engine and caches the answer.
/// </summary>
internal static class EngineInfoCommand
{
    private static readonly JsonSerializerOptions s_json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object (for tools)." };
        var command = new Command("engine-info", "Print the runtime identity that fingerprints include: engine version, libtorch version, device.") { json };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var runtime = TrainingJob.CurrentRuntime();
            Console.WriteLine(parse.GetValue(json)
                ? JsonSerializer.Serialize(runtime, s_json)
                : $"engine {runtime.EngineVersion}, libtorch {runtime.LibTorchVersion}, device {runtime.DeviceKind}");
            return 0;
        }));
        return command;
    }
}
