using System.Text;
using System.Text.Json.Nodes;
using LoraBuild.Fuzz.Mutation;

namespace LoraBuild.Fuzz;

/// <summary>A target whose seeds are JSON documents: most inputs are structure-aware edits, the rest byte edits.</summary>
internal abstract class JsonFuzzTarget : FuzzTarget
{
    private readonly List<byte[]> _seeds = [];
    private readonly List<JsonNode> _documents = [];
    private string[] _keys = [];

    public override IReadOnlyList<byte[]> Seeds => _seeds;

    protected void AddSeed(byte[]? seed)
    {
        if (seed is null)
        {
            return;
        }

        _seeds.Add(seed);
        if (JsonMutator.TryParse(Encoding.UTF8.GetString(seed)) is { } document)
        {
            _documents.Add(document);
            _keys = [.. _keys.Union(JsonMutator.PropertyNames(document)).Order(StringComparer.Ordinal)];
        }
    }

    public override byte[] Mutate(SplitMix64 random)
    {
        if (_documents.Count == 0 || random.Below(10) < 4)
        {
            return base.Mutate(random);
        }

        var json = Encoding.UTF8.GetBytes(JsonMutator.Mutate(random, random.Pick(_documents), _keys));
        return random.Chance(5) ? ByteMutator.Mutate(random, json, Seeds) : json;
    }
}
