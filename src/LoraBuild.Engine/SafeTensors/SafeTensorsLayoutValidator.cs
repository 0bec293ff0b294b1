using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Engine.SafeTensors;

/// <summary>
/// Checks that the tensors' byte ranges tile the data section exactly: sorted by offset they start at 0,
/// leave no gap, do not overlap, and end where the file ends.
/// </summary>
internal static class SafeTensorsLayoutValidator
{
    public static void Validate(IReadOnlyList<SafeTensorInfo> tensors, long dataSectionLength, string file)
    {
        var byOffset = tensors
            .OrderBy(t => t.DataBegin)
            .ThenBy(t => t.DataEnd)
            .ThenBy(t => t.Name, StringComparer.Ordinal)
            .ToList();

        long expectedBegin = 0;
        SafeTensorInfo? previous = null;
        foreach (var tensor in byOffset)
        {
            if (tensor.DataBegin > expectedBegin)
            {
                var after = previous is null ? "the start of the data section" : $"tensor '{previous.Name}'";
                throw new LoraException(
                    SafeTensorsErrorCodes.DataOffsetsGap,
                    $"Tensor '{tensor.Name}' starts at data offset {tensor.DataBegin}, leaving {tensor.DataBegin - expectedBegin} unused bytes after {after}.",
                    SafeTensorsLocation.ForTensor(file, tensor.Name));
            }

            if (tensor.DataBegin < expectedBegin)
            {
                throw new LoraException(
                    SafeTensorsErrorCodes.DataOffsetsOverlap,
                    $"Tensor '{tensor.Name}' [{tensor.DataBegin}, {tensor.DataEnd}) overlaps tensor '{previous!.Name}' [{previous.DataBegin}, {previous.DataEnd}).",
                    SafeTensorsLocation.ForTensor(file, tensor.Name));
            }

            expectedBegin = tensor.DataEnd;
            previous = tensor;
        }

        if (expectedBegin > dataSectionLength)
        {
            throw new LoraException(
                SafeTensorsErrorCodes.DataExceedsFile,
                $"Tensor '{previous!.Name}' ends at data offset {expectedBegin} but the data section has only {dataSectionLength} bytes; the file is truncated.",
                SafeTensorsLocation.ForTensor(file, previous.Name));
        }

        if (expectedBegin < dataSectionLength)
        {
            throw new LoraException(
                SafeTensorsErrorCodes.TrailingData,
                $"The data section has {dataSectionLength - expectedBegin} bytes after the last tensor that no tensor covers.",
                file);
        }
    }
}
