namespace LoraBuild.Engine.SafeTensors;

/// <summary>Formats the <c>location</c> of a <see cref="Core.Diagnostics.LoraException"/> raised for a file.</summary>
internal static class SafeTensorsLocation
{
    public static string ForTensor(string file, string tensorName) => $"{file} [tensor '{tensorName}']";

    public static string ForField(string file, string field) => $"{file} [{field}]";
}
