namespace LoraBuild.Core.Packaging;

/// <summary>One adapter as a package holds it: its folder name, the base model it fits, and its fingerprint.</summary>
/// <param name="Name">The folder name under <c>lora/</c>; also the consumer's <c>LoraAdapterReference</c> item name.</param>
/// <param name="BaseModel">The base model's id (see <see cref="BaseModelId"/>).</param>
/// <param name="Fingerprint">The SHA-256 fingerprint from <c>lorabuild.json</c>.</param>
public sealed record PackagedAdapter(string Name, string BaseModel, string Fingerprint)
{
    /// <summary>The files of the adapter's export packed beside it (<c>adapter.gguf</c>, <c>model.gguf</c>, <c>Modelfile</c>), by name.</summary>
    public IReadOnlyList<string> ExportedFiles { get; init; } = [];
}
