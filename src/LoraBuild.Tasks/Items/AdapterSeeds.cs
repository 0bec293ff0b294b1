using System.Globalization;
using LoraBuild.Core.Comparison;
using LoraBuild.Core.Diagnostics;
using Microsoft.Build.Framework;

namespace LoraBuild.Tasks.Items;

/// <summary>The <c>Seeds</c> metadata of a LoraAdapter: how many seeds to train it under (1, the default, means no seed study).</summary>
internal static class AdapterSeeds
{
    /// <summary>The seed count of <paramref name="adapter"/>, checked against its first seed; errors are LORA1158 at the attribute.</summary>
    public static int Count(ITaskItem adapter, int firstSeed, LoraItemReference item)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        var text = adapter.GetMetadata(LoraItemNames.SeedsMetadata).Trim();
        if (text.Length == 0)
        {
            return 1;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
        {
            throw new LoraItemException(TaskErrorCodes.SeedsInvalid, $"Seeds is '{text}'; it must be a whole number of at least 1 (1 trains the adapter once; 3 also trains Seed+1 and Seed+2).", item, LoraItemNames.SeedsMetadata);
        }

        if (count > 1)
        {
            try
            {
                SeedRuns.Seeds(firstSeed, count);
            }
            catch (LoraException e)
            {
                throw new LoraItemException(TaskErrorCodes.SeedsInvalid, e.Message, item, LoraItemNames.SeedsMetadata, e);
            }
        }

        return count;
    }
}
