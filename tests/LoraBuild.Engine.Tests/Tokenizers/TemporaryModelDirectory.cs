using System.Text.Json.Nodes;

namespace LoraBuild.Engine.Tests.Tokenizers;

/// <summary>A model directory in a temporary folder, deleted on dispose.</summary>
internal sealed class TemporaryModelDirectory : IDisposable
{
    public TemporaryModelDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "lorabuild-tokenizer-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string FilePath(string name) => System.IO.Path.Combine(Path, name);

    public TemporaryModelDirectory WriteJson(string name, JsonNode json)
    {
        File.WriteAllText(FilePath(name), json.ToJsonString());
        return this;
    }

    public TemporaryModelDirectory WriteText(string name, string text)
    {
        File.WriteAllText(FilePath(name), text);
        return this;
    }

    public TemporaryModelDirectory WriteBytes(string name, byte[] bytes)
    {
        File.WriteAllBytes(FilePath(name), bytes);
        return this;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
