using System.CommandLine;
using LoraBuild.Cli.Progress;
using LoraBuild.Engine.Reports;
using Spectre.Console;

namespace LoraBuild.Cli.Commands;

/// <summary>
/// <c>dotnet lora eval</c>: evaluate the base model and the base model with a trained adapter on held-out data, write
/// <c>eval_outputs.json</c>, <c>report.md</c> and the charts, and print every metric before → after.
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("target") { Description = $"An adapter folder, a spec file, or a project folder holding {EvalTarget.SpecFileName}." };
        var model = new Option<string?>("--model", "-m") { Description = "The base model folder (default: the one the spec or the adapter's lorabuild.json names)." };
        var adapter = new Option<string?>("--adapter", "-a") { Description = "With a spec or project: the adapter folder (default: the one its build or train wrote last)." };
        var data = new Option<string[]>("--data", "-d") { Description = "Eval data file(s) instead of the spec's evalDatasets.", AllowMultipleArgumentsPerToken = true };
        var format = new Option<string?>("--format") { Description = "The format of --data files: alpaca (default), chat or text." };
        format.AcceptOnlyFromAmong("alpaca", "chat", "text");
        var metric = new Option<string[]>("--metric") { Description = "Metric(s) for every eval dataset, e.g. exact-match rouge-l (default: each dataset's own).", AllowMultipleArgumentsPerToken = true };
        var maxNewTokens = new Option<int?>("--max-new-tokens") { Description = "Most tokens per generated answer (default: the spec's evalMaxNewTokens)." };
        var output = new Option<string?>("--output", "-o") { Description = "The folder to write to (default: <adapter folder>.eval beside the adapter)." };
        var device = DeviceOption.Create("auto");
        var command = new Command("eval", "Evaluate an adapter against its base model: metrics before and after, per-sample answers, a report with charts.")
        {
            target, model, adapter, data, format, metric, maxNewTokens, output, device,
        };
        command.SetAction((parse, cancellation) => Task.FromResult(CommandRunner.Run(() =>
        {
            var resolved = EvalTarget.Resolve(new EvalRequest
            {
                Target = parse.GetValue(target)!,
                Adapter = parse.GetValue(adapter),
                Model = parse.GetValue(model),
                Data = parse.GetValue(data) ?? [],
                Format = parse.GetValue(format),
                Metrics = parse.GetValue(metric) ?? [],
                MaxNewTokens = parse.GetValue(maxNewTokens),
                Output = parse.GetValue(output),
                Device = parse.GetValue(device),
            });
            Console.WriteLine($"Adapter {resolved.AdapterDirectory}");
            Console.WriteLine($"Base model {resolved.BaseModelDirectory}");
            var result = JobDisplay.Run(observer => AdapterEvaluation.Run(resolved, observer, cancellation));
            TrainingSummary.WriteMetrics(result.Before, result.After);
            AnsiConsole.MarkupLine($"Wrote {Markup.Escape(string.Join(", ", result.Files))} to {Markup.Escape(resolved.OutputDirectory)}");
            if (!result.Files.Contains(Core.Packaging.AdapterPackageLayout.LossCurveFileName))
            {
                AnsiConsole.WriteLine($"No loss curve: the adapter folder has no {Core.Packaging.AdapterPackageLayout.HistoryFileName}.");
            }

            return 0;
        })));
        return command;
    }
}
