using System.CommandLine;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Engine.Diagnostics;
using LoraBuild.Engine.Native;
using Spectre.Console;
using TorchSharp;

namespace LoraBuild.Cli.Commands;

/// <summary><c>dotnet lora doctor</c>: is libtorch loadable here, what did it take, and how fast is this machine.</summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var size = new Option<int>("--size") { Description = "Matrix size of the matmul probe.", DefaultValueFactory = _ => 1024 };
        var command = new Command("doctor", "Check the native runtime and measure this machine's matmul rate.") { size };
        command.SetAction(parse => CommandRunner.Run(() => Run(parse.GetValue(size))));
        return command;
    }

    private static int Run(int probeSize)
    {
        var report = TorchRuntime.EnsureLoaded();
        var table = new Table().AddColumn("check").AddColumn("result");
        table.AddRow("LoraBuild", Markup.Escape(AssemblyVersions.Informational(typeof(DoctorCommand).Assembly)));
        table.AddRow("TorchSharp", Markup.Escape(AssemblyVersions.Informational(typeof(torch).Assembly)));
        table.AddRow("libtorch", Markup.Escape(torch.__version__));
        table.AddRow("libtorch runtime", Markup.Escape(report.LibTorch?.Describe() ?? "(loaded by TorchSharp)"));
        table.AddRow("native fix", Markup.Escape(report.Describe()));
        table.AddRow("libLibTorchSharp", Markup.Escape(report.LibTorchSharpPath ?? "(system default)"));
        table.AddRow("threads", $"{torch.get_num_threads()} intra-op, {torch.get_num_interop_threads()} inter-op ({Environment.ProcessorCount} logical CPUs)");
        table.AddRow("OpenMP wait policy", Markup.Escape(Engine.Native.ThreadingEnvironment.Description));
        table.AddRow("devices", torch.cuda.is_available() ? $"cpu, cuda × {torch.cuda.device_count()}" : "cpu (no CUDA device or CUDA runtime)");
        var fp32 = MatmulProbe.MeasureGflops(torch.ScalarType.Float32, probeSize);
        var bf16 = MatmulProbe.MeasureGflops(torch.ScalarType.BFloat16, probeSize);
        table.AddRow($"matmul fp32 n={probeSize}", $"{fp32:F1} GFLOP/s");
        table.AddRow($"matmul bf16 n={probeSize}", $"{bf16:F1} GFLOP/s ({bf16 / fp32:F2}× fp32)");
        AnsiConsole.Write(table);
        return 0;
    }

}
