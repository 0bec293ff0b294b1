using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Specs;

namespace LoraBuild.Core.Hub;

/// <summary>Turns a spec's base model into a local folder: a <c>path</c> as it is, a hub id through the cache and, when needed, a download.</summary>
public static class BaseModelResolver
{
    /// <summary>True when the base model is named by hub id alone, so resolving it may download.</summary>
    public static bool IsHubModel(TrainingSpec spec) =>
        spec.BaseModel is { } reference && string.IsNullOrWhiteSpace(reference.Path) && !string.IsNullOrWhiteSpace(reference.HubId);

    /// <summary>The hub reference of a spec whose base model is a hub id.</summary>
    /// <exception cref="LoraException">LORA2080: the hub id or revision is malformed.</exception>
    public static HubModelReference HubReference(TrainingSpec spec) =>
        HubModelReference.Create(spec.BaseModel!.HubId!.Trim(), spec.BaseModel.Revision, spec.SourceLocation);

    /// <summary>
    /// The spec with its hub base model pinned to <paramref name="commit"/> (what a run recorded as
    /// <c>inputs.baseModelCommit</c>), so that resolving it finds the very snapshot the run used, with no request when
    /// that snapshot is in the cache; any other spec as it is.
    /// </summary>
    public static TrainingSpec PinnedTo(TrainingSpec spec, string? commit)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return commit is { Length: > 0 } && IsHubModel(spec) ? spec with { BaseModel = spec.BaseModel! with { Revision = commit } } : spec;
    }

    /// <param name="spec">A validated spec.</param>
    /// <param name="settings">The hub settings; null reads them from this process's environment, only when a hub model needs them.</param>
    /// <param name="progress">Receives download progress.</param>
    /// <param name="cancellation">Stops a download; its partial file is kept for the next run.</param>
    /// <exception cref="LoraException">LORA208x and LORA501x: see <see cref="HubErrorCodes"/>.</exception>
    public static ResolvedBaseModel Resolve(
        TrainingSpec spec, HubSettings? settings, IProgress<HubDownloadProgress>? progress, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var reference = spec.BaseModel ?? throw new ArgumentException("The spec names no base model.", nameof(spec));
        if (!IsHubModel(spec))
        {
            return ResolvedBaseModel.Local(spec.ResolvePath(reference.Path!), reference.HubId);
        }

        var model = HubReference(spec);
        using var client = new HubClient(settings ?? HubEnvironment.Current());
        var snapshot = client.DownloadAsync(model, progress, cancellation).GetAwaiter().GetResult();
        return new ResolvedBaseModel(snapshot.Directory, model.RepoId, snapshot.Commit, snapshot.Files);
    }
}
