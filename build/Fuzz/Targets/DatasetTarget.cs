using System.Text;
using LoraBuild.Core.Data;
using LoraBuild.Fuzz.Mutation;
using SplitMix64 = LoraBuild.Fuzz.Mutation.SplitMix64;

namespace LoraBuild.Fuzz.Targets;

/// <summary>
/// JSONL datasets in each format. Most inputs edit one record structurally or add, drop and repeat lines; the rest
/// are byte edits of the whole file.
/// </summary>
internal sealed class DatasetTarget : FuzzTarget
{
    private const int SeedLines = 16;

    private static readonly DatasetFormat[] s_formats = [DatasetFormat.Alpaca, DatasetFormat.Chat, DatasetFormat.Text];

    private readonly List<byte[]> _seeds = [];
    private readonly List<byte[]> _bodies = [];
    private readonly List<string[]> _lines = [];
    private string[] _keys = [];
    private string _file = "";

    public override string Name => "dataset-jsonl";

    public override IReadOnlyList<byte[]> Seeds => _seeds;

    public override void Prepare(SeedFiles seeds, string scratch)
    {
        // A few records each: the readers' work is per record, so longer seeds only slow the run.
        var files = new (byte Format, byte[] Bytes)[]
        {
            (0, seeds.Read("examples/SupportTriage/data/train.jsonl")),
            (0, seeds.Read("examples/SupportTriage/data/eval.jsonl")),
            (1, seeds.Own("chat.jsonl")),
            (2, seeds.Own("text.jsonl")),
        };
        foreach (var (format, bytes) in files)
        {
            var lines = Encoding.UTF8.GetString(bytes).Split('\n').Where(line => line.Length > 0).Take(SeedLines).ToArray();
            var body = Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");
            _lines.Add(lines);
            _bodies.Add(body);
            _seeds.Add([format, .. body]);
            _keys = [.. _keys.Union(lines.SelectMany(line => JsonMutator.PropertyNames(JsonMutator.TryParse(line)))).Order(StringComparer.Ordinal)];
        }

        _file = Path.Combine(scratch, "data.jsonl");
    }

    public override byte[] Mutate(SplitMix64 random)
    {
        // The first byte picks the format, so that a saved input replays alone.
        var format = (byte)random.Below(s_formats.Length);
        byte[] body;
        if (random.Below(10) < 4)
        {
            body = ByteMutator.Mutate(random, random.Pick(_bodies), _bodies);
        }
        else
        {
            var lines = random.Pick(_lines).ToList();
            for (var edits = 1 + random.Below(3); edits > 0 && lines.Count > 0; edits--)
            {
                var at = random.Below(lines.Count);
                switch (random.Below(5))
                {
                    case 0: lines.RemoveAt(at); break;
                    case 1: lines.Insert(at, random.Pick<string>(["", "   ", "\r", "null", "[]", "{}", "\"text\"", "{\"text\":\"x\"}"])); break;
                    case 2: lines.Insert(at, lines[at]); break;
                    default:
                        if (JsonMutator.TryParse(lines[at]) is { } record)
                        {
                            lines[at] = JsonMutator.Mutate(random, record, _keys);
                        }

                        break;
                }
            }

            body = Encoding.UTF8.GetBytes(string.Join(random.Chance(4) ? "\r\n" : "\n", lines));
        }

        return [format, .. body];
    }

    public override void Execute(byte[] input)
    {
        var format = input.Length > 0 && input[0] < s_formats.Length ? s_formats[input[0]] : DatasetFormat.Alpaca;
        var body = input.Length > 0 && input[0] < s_formats.Length ? input.AsSpan(1) : input;
        File.WriteAllBytes(_file, body.ToArray());
        DatasetReader.Read(_file, format);
    }
}
