namespace LoraBuild.Core.Hub;

/// <summary>A model's files in the cache at one commit.</summary>
/// <param name="Model">The reference that was resolved.</param>
/// <param name="Commit">The commit the revision resolved to.</param>
/// <param name="Directory">The local snapshot folder, <c>…/models--org--name/snapshots/{commit}</c>.</param>
/// <param name="Files">The files the model needs, relative to <paramref name="Directory"/>.</param>
public sealed record HubSnapshot(HubModelReference Model, string Commit, string Directory, IReadOnlyList<string> Files);
