using System.Reflection;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Engine.Runtime;
using LoraBuild.LlamaCpp;

// Answers support tickets with the SupportTriage adapter from its package: tickets as arguments, or one per line on stdin.
// --model DIR uses another base model folder than the one copied beside the app (engine runtime).
// --runtime llama.cpp answers on llama.cpp with the GGUF files the package carries instead of LoraBuild's engine.
const string Instruction = "Classify the support ticket and extract the order number. Answer with JSON.";

var arguments = args.ToList();
var modelOverride = TakeOption(arguments, "--model");
var runtime = TakeOption(arguments, "--runtime") ?? "engine";
if (runtime is not ("engine" or "llama.cpp"))
{
    Console.Error.WriteLine($"error: --runtime is engine or llama.cpp, not '{runtime}'.");
    return 2;
}

var adapter = Assembly.GetExecutingAssembly()
    .GetCustomAttributes<AssemblyMetadataAttribute>()
    .Where(attribute => attribute.Key == "LoraAdapter:SupportTriage" && attribute.Value is not null)
    .Select(attribute => attribute.Value!.Split('|'))
    .SingleOrDefault();
if (adapter is not [var outputPath, var baseModel, var fingerprint])
{
    Console.Error.WriteLine("error: the SupportTriage package is not referenced (no LoraAdapterReference was built into this app).");
    return 2;
}

var adapterDirectory = Path.Combine(AppContext.BaseDirectory, outputPath);
var modelDirectory = modelOverride ?? Path.Combine(AppContext.BaseDirectory, "models", baseModel);
try
{
    var tickets = arguments.Count > 0 ? arguments : ReadLines(Console.In);
    if (runtime == "llama.cpp")
    {
        using var gguf = LlamaCppAdaptedModel.LoadAdapterFolder(adapterDirectory);
        Console.Error.WriteLine($"SupportTriage {fingerprint[..12]}… on {baseModel} (llama.cpp)");
        foreach (var ticket in tickets)
        {
            Console.WriteLine(gguf.Answer(Instruction, ticket));
        }

        return 0;
    }

    using var model = AdaptedModel.Load(modelDirectory, adapterDirectory);
    foreach (var warning in model.Warnings)
    {
        Console.Error.WriteLine($"warning: {warning}");
    }

    Console.Error.WriteLine($"SupportTriage {fingerprint[..12]}… on {baseModel}");
    foreach (var ticket in tickets)
    {
        Console.WriteLine(model.Answer(Instruction, ticket));
    }

    return 0;
}
catch (LoraException e)
{
    Console.Error.WriteLine(e.ToString());
    return 1;
}

static string? TakeOption(List<string> arguments, string name)
{
    if (arguments.IndexOf(name) is var at and >= 0 && at + 1 < arguments.Count)
    {
        var value = arguments[at + 1];
        arguments.RemoveRange(at, 2);
        return value;
    }

    return null;
}

static IEnumerable<string> ReadLines(TextReader reader)
{
    while (reader.ReadLine() is { } line)
    {
        if (line.Length > 0)
        {
            yield return line;
        }
    }
}
