namespace LoraBuild.Core.Hub;

/// <summary>A spec's base model as a local folder, with where it came from.</summary>
/// <param name="Directory">The folder holding config.json, the tokenizer and the weights.</param>
/// <param name="HubId">The hub id the spec declares, if any.</param>
/// <param name="Commit">The commit a hub revision resolved to; null for a local folder.</param>
/// <param name="Files">
/// The files that make up the model, relative to <paramref name="Directory"/>; null means every file in the folder.
/// A hub snapshot may hold other files a Python tool downloaded, which must not change the fingerprint.
/// </param>
public sealed record ResolvedBaseModel(string Directory, string? HubId, string? Commit, IReadOnlyList<string>? Files)
{
    public static ResolvedBaseModel Local(string directory, string? hubId = null) => new(directory, hubId, null, null);
}
