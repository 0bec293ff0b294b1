namespace LoraBuild.Core.Tests.Data;

/// <summary>A temporary folder for dataset files, deleted on dispose.</summary>
internal sealed class TempDataset : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("lorabuild-data-").FullName;

    public string Write(string fileName, string content)
    {
        var path = Path.Combine(_directory, fileName);
        File.WriteAllText(path, content);
        return path;
    }

    public string WriteBytes(string fileName, byte[] content)
    {
        var path = Path.Combine(_directory, fileName);
        File.WriteAllBytes(path, content);
        return path;
    }

    public string PathOf(string fileName) => Path.Combine(_directory, fileName);

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
