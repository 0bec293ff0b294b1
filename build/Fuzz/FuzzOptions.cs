using System.Globalization;

namespace LoraBuild.Fuzz;

/// <summary>The command line: <c>--inputs N --seed S --targets a,b --time-limit-ms T --repo DIR --output DIR</c>.</summary>
internal sealed record FuzzOptions(long Inputs, ulong Seed, IReadOnlyList<string> Targets, TimeSpan TimeLimit, string Repository, string Output)
{
    public static FuzzOptions Parse(string[] args)
    {
        long inputs = 100_000;
        ulong seed = 1;
        string[] targets = [];
        var timeLimit = TimeSpan.FromSeconds(2);
        string? repository = null;
        string? output = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"'{args[i]}' needs a value.");
            switch (args[i])
            {
                case "--inputs": inputs = long.Parse(value, CultureInfo.InvariantCulture); break;
                case "--seed": seed = ulong.Parse(value, CultureInfo.InvariantCulture); break;
                case "--targets": targets = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                case "--time-limit-ms": timeLimit = TimeSpan.FromMilliseconds(int.Parse(value, CultureInfo.InvariantCulture)); break;
                case "--repo": repository = Path.GetFullPath(value); break;
                case "--output": output = Path.GetFullPath(value); break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'.");
            }

            i++;
        }

        repository ??= SeedFiles.FindRepositoryRoot();
        return new FuzzOptions(inputs, seed, targets, timeLimit, repository, output ?? Path.Combine(repository, "artifacts", "fuzz"));
    }
}
