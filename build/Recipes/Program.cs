using System.Text.Json;
using LoraBuild.Core.IO;
using LoraBuild.Recipes;

// Recipes that regenerate the example's data deterministically. Run through Cake (build.cake: ExampleAssets).
if (args is ["random-model", var preset, var tokenizer, var folder])
{
    // A published shape with random weights, for the big-model benchmark (build.cake: BigModels).
    RandomModel.Write(preset, tokenizer, Path.GetFullPath(folder));
    return 0;
}

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: LoraBuild.Recipes <corpus|tiny-init|support-triage|support-chat> <output folder>");
    Console.Error.WriteLine("       LoraBuild.Recipes random-model <preset> <tokenizer folder> <output folder>");
    return 2;
}

var output = Path.GetFullPath(args[1]);
Directory.CreateDirectory(output);
switch (args[0])
{
    case "corpus":
        // Six short documents per training text, so that the model learns positions up to ~200: a task prompt puts
        // the ticket around position 90, far past the ~30 tokens a single document spans.
        var documents = PretrainingCorpus.Documents(20000, seed: 1)
            .Chunk(6)
            .Select(group => JsonSerializer.Serialize(new { text = string.Join("\n\n", group) }, JsonOptions));
        AtomicFile.WriteAllText(Path.Combine(output, "corpus.jsonl"), string.Join("\n", documents) + "\n");
        break;
    case "tiny-init":
        TinyBaseModel.Write(Path.Combine(output, "corpus.jsonl"), Path.Combine(output, "tiny-init"));
        break;
    case "support-triage":
        WriteSplit(Path.Combine(output, "train.jsonl"), count: 400, seed: 2);
        WriteSplit(Path.Combine(output, "eval.jsonl"), count: 50, seed: 3);
        break;
    case "support-chat":
        // The same kind of tickets as conversations, for the chat example; other seeds, so the sets differ.
        WriteChatSplit(Path.Combine(output, "train.jsonl"), count: 400, seed: 4);
        WriteChatSplit(Path.Combine(output, "eval.jsonl"), count: 20, seed: 5);
        break;
    default:
        Console.Error.WriteLine($"unknown recipe '{args[0]}'");
        return 2;
}

return 0;

static void WriteChatSplit(string path, int count, ulong seed)
{
    var random = new SeededRandom(seed);
    var lines = Enumerable.Range(0, count).Select(i =>
    {
        var ticket = SupportTickets.Create(random, SupportTickets.Categories[i % SupportTickets.Categories.Count]);
        var messages = new[]
        {
            new { role = "system", content = Program.Instruction },
            new { role = "user", content = ticket.Text },
            new { role = "assistant", content = ticket.Answer },
        };
        return JsonSerializer.Serialize(new { messages }, JsonOptions);
    });
    AtomicFile.WriteAllText(path, string.Join("\n", lines) + "\n");
}

static void WriteSplit(string path, int count, ulong seed)
{
    const string instruction = Program.Instruction;
    var random = new SeededRandom(seed);
    var lines = Enumerable.Range(0, count).Select(i =>
    {
        var ticket = SupportTickets.Create(random, SupportTickets.Categories[i % SupportTickets.Categories.Count]);
        return JsonSerializer.Serialize(new { instruction, input = ticket.Text, output = ticket.Answer }, JsonOptions);
    });
    AtomicFile.WriteAllText(path, string.Join("\n", lines) + "\n");
}

internal static partial class Program
{
    private const string Instruction = "Classify the support ticket and extract the order number. Answer with JSON.";

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
