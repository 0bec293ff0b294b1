namespace LoraBuild.Core.Cache;

/// <summary>What a build or <c>train</c> does with the training cache.</summary>
public enum TrainingCacheMode
{
    /// <summary>No lookup and no push.</summary>
    Off,

    /// <summary>Restore an adapter from the feed when its fingerprint is there; never push.</summary>
    Read,

    /// <summary>Restore as <see cref="Read"/> does, and push every adapter trained here.</summary>
    ReadWrite,
}
