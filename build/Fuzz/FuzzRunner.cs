using System.Diagnostics;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Fuzz.Mutation;

namespace LoraBuild.Fuzz;

/// <summary>Runs one target over its seeds and then mutated inputs, and sorts each outcome.</summary>
internal static class FuzzRunner
{
    /// <summary>An input allocating more than this many bytes per byte of input, plus <see cref="AllocationAllowance"/>, is a blow-up.</summary>
    public const int AllocationRatioLimit = 512;

    public const long AllocationAllowance = 16L << 20;

    /// <summary>The ratio is taken over at least this many bytes, so that a near-empty input with a fixed companion file does not dominate it.</summary>
    public const int RatioFloor = 4096;

    public static FuzzResult Run(FuzzTarget target, FuzzOptions options, Watchdog watchdog)
    {
        var result = new FuzzResult(target.Name);
        var folder = Path.Combine(options.Output, target.Name);
        WarmUp(target);
        var clock = Stopwatch.StartNew();
        for (long i = 0; i < options.Inputs; i++)
        {
            var input = i < target.Seeds.Count
                ? target.Seeds[(int)i]
                : target.Mutate(SplitMix64.ForInput(options.Seed, target.Name, i));
            RunOne(target, input, result, folder, watchdog);
        }

        result.Elapsed = clock.Elapsed;
        return result;
    }

    /// <summary>Runs the seeds once uncounted, so that start-up work (JIT, static caches) is not taken for the first input's allocation.</summary>
    private static void WarmUp(FuzzTarget target)
    {
        foreach (var seed in target.Seeds)
        {
            try
            {
                target.Execute(seed);
            }
            catch (LoraException)
            {
                // A seed may be refused; only its start-up work matters here.
            }
        }
    }

    private static void RunOne(FuzzTarget target, byte[] input, FuzzResult result, string folder, Watchdog watchdog)
    {
        result.Inputs++;
        watchdog.Begin(input, Path.Combine(folder, "hangs"));
        var before = GC.GetAllocatedBytesForCurrentThread();
        Exception? failure = null;
        try
        {
            target.Execute(input);
        }
        catch (Exception e)
        {
            failure = e;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (watchdog.End())
        {
            result.Hangs++;
            return;
        }

        var ratio = allocated / (double)Math.Max(input.Length, RatioFloor);
        result.MaxAllocationRatio = Math.Max(result.MaxAllocationRatio, ratio);
        result.MaxAllocatedBytes = Math.Max(result.MaxAllocatedBytes, allocated);
        if (allocated > AllocationAllowance + ((long)AllocationRatioLimit * input.Length))
        {
            result.AllocationBlowUps++;
            var file = InputFiles.Save(Path.Combine(folder, "allocations"), input, $"{allocated:N0} bytes allocated for {input.Length:N0} bytes of input.");
            Console.Error.WriteLine($"allocation blow-up: {file} ({allocated:N0} bytes)");
        }

        switch (failure)
        {
            case null:
                result.Successes++;
                break;
            case LoraException:
                result.CodedErrors++;
                break;
            default:
                result.Crashes++;
                var kind = $"{failure.GetType().Name} in {failure.TargetSite?.DeclaringType?.Name}.{failure.TargetSite?.Name}";
                var saved = InputFiles.Save(Path.Combine(folder, "crashes"), input, failure.ToString());
                if (result.CrashKinds.TryAdd(kind, saved))
                {
                    Console.Error.WriteLine($"crash ({target.Name}): {kind}: {failure.Message} -> {saved}");
                }

                break;
        }
    }
}
