namespace LoraBuild.Core.Hub;

/// <summary>What <c>GET /api/models/{repo}/revision/{revision}</c> answers: the commit and the repository's files at it.</summary>
internal sealed record HubRevision(string Commit, IReadOnlyList<string> Files);
