using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Testing.Comparison;

/// <summary>Pairs verified and received entries by id and lists what differs: texts exactly, numbers within their key's tolerance.</summary>
internal static class SnapshotComparer
{
    public static IReadOnlyList<RecordDifference> Compare(
        IReadOnlyList<SnapshotRecord> verified, IReadOnlyList<SnapshotRecord> received, SnapshotOptions options, string verifiedPath)
    {
        var verifiedById = ById(verified, verifiedPath);
        var receivedById = ById(received, "the received snapshot");
        var differences = new List<RecordDifference>();
        foreach (var entry in verified)
        {
            if (!receivedById.TryGetValue(entry.Id, out var counterpart))
            {
                differences.Add(new RecordDifference(DifferenceKind.Missing, entry.Label, []));
                continue;
            }

            var fields = CompareFields(entry, counterpart, options);
            if (fields.Count > 0)
            {
                // The received label: its source is what the data says now.
                differences.Add(new RecordDifference(DifferenceKind.Changed, counterpart.Label, fields));
            }
        }

        differences.AddRange(received
            .Where(entry => !verifiedById.ContainsKey(entry.Id))
            .Select(entry => new RecordDifference(DifferenceKind.Added, entry.Label, [])));
        return differences;
    }

    private static List<FieldDifference> CompareFields(SnapshotRecord verified, SnapshotRecord received, SnapshotOptions options)
    {
        var receivedByName = received.Fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var verifiedNames = verified.Fields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var differences = new List<FieldDifference>();
        foreach (var field in verified.Fields)
        {
            if (!receivedByName.TryGetValue(field.Name, out var counterpart))
            {
                differences.Add(new FieldDifference(DifferenceKind.Missing, field.Name, field, null));
            }
            else if (field.Number is { } expected && counterpart.Number is { } actual)
            {
                var tolerance = options.ToleranceFor(field.Key ?? field.Name);
                if (!tolerance.Allows(expected, actual))
                {
                    differences.Add(new FieldDifference(DifferenceKind.Changed, field.Name, field, counterpart, tolerance));
                }
            }
            else if (!string.Equals(field.Text, counterpart.Text, StringComparison.Ordinal) || field.Number.HasValue != counterpart.Number.HasValue)
            {
                differences.Add(new FieldDifference(DifferenceKind.Changed, field.Name, field, counterpart));
            }
        }

        differences.AddRange(received.Fields
            .Where(field => !verifiedNames.Contains(field.Name))
            .Select(field => new FieldDifference(DifferenceKind.Added, field.Name, null, field)));
        return differences;
    }

    private static Dictionary<string, SnapshotRecord> ById(IReadOnlyList<SnapshotRecord> records, string location)
    {
        var byId = new Dictionary<string, SnapshotRecord>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            if (!byId.TryAdd(record.Id, record))
            {
                throw new LoraException(SnapshotErrorCodes.DuplicateKey, $"The snapshot has '{record.Id}' twice; entries are matched by it, so each must be unique.", location);
            }
        }

        return byId;
    }
}
