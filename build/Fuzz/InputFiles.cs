using System.Security.Cryptography;

namespace LoraBuild.Fuzz;

/// <summary>Names saved inputs by their content, so that the same input found twice is one file.</summary>
internal static class InputFiles
{
    public static string Name(byte[] input) => Convert.ToHexStringLower(SHA256.HashData(input))[..16] + ".bin";

    public static string Save(string folder, byte[] input, string? note = null)
    {
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, Name(input));
        File.WriteAllBytes(file, input);
        if (note is not null)
        {
            File.WriteAllText(Path.ChangeExtension(file, ".txt"), note);
        }

        return file;
    }
}
