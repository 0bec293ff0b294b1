using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Cache;

/// <summary>
/// Where the training cache is and how it is used. Each setting is taken from the first place that gives it: the
/// explicit value (an MSBuild property or a command-line flag), then the environment (<see cref="SourceVariable"/>,
/// <see cref="ModeVariable"/>, <see cref="RequiredVariable"/>), then the default (off, not required).
/// </summary>
/// <param name="Source">A source name from nuget.config, a feed URL, or a folder; null when the mode is off.</param>
/// <param name="Mode">Whether to restore, and whether to push.</param>
/// <param name="Required">True: a feed that cannot be reached (or refuses a push) fails the run instead of warning.</param>
public sealed record TrainingCacheSettings(string? Source, TrainingCacheMode Mode, bool Required)
{
    public const string SourceVariable = "LORABUILD_CACHE_SOURCE";
    public const string ModeVariable = "LORABUILD_CACHE_MODE";
    public const string RequiredVariable = "LORABUILD_CACHE_REQUIRED";

    public static TrainingCacheSettings Off { get; } = new(null, TrainingCacheMode.Off, false);

    public bool Reads => Mode != TrainingCacheMode.Off;

    public bool Writes => Mode == TrainingCacheMode.ReadWrite;

    /// <param name="environment">Reads a variable; null uses the process's environment.</param>
    /// <exception cref="LoraException">LORA4300: the mode is unknown, or it reads a cache but no source is given.</exception>
    public static TrainingCacheSettings Resolve(string? source, string? mode, string? required, Func<string, string?>? environment = null, string? location = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        source = FirstGiven(source, environment(SourceVariable));
        var modeText = FirstGiven(mode, environment(ModeVariable)) ?? "off";
        var parsedMode = modeText.ToLowerInvariant() switch
        {
            "off" => TrainingCacheMode.Off,
            "read" => TrainingCacheMode.Read,
            "readwrite" => TrainingCacheMode.ReadWrite,
            _ => throw new LoraException(CacheErrorCodes.SettingInvalid, $"The cache mode '{modeText}' is not off, read or readwrite.", location),
        };
        var requiredText = FirstGiven(required, environment(RequiredVariable)) ?? "false";
        if (!bool.TryParse(requiredText, out var isRequired))
        {
            throw new LoraException(CacheErrorCodes.SettingInvalid, $"LoraCacheRequired '{requiredText}' is not true or false.", location);
        }

        if (parsedMode == TrainingCacheMode.Off)
        {
            return Off;
        }

        if (source is null)
        {
            throw new LoraException(
                CacheErrorCodes.SettingInvalid,
                $"The cache mode is {modeText} but no cache source is set: set LoraCacheSource (or {SourceVariable}, --cache-source) to a nuget.config source name, a feed URL or a folder.",
                location);
        }

        return new TrainingCacheSettings(source, parsedMode, isRequired);
    }

    private static string? FirstGiven(string? explicitValue, string? environmentValue) =>
        !string.IsNullOrWhiteSpace(explicitValue) ? explicitValue.Trim()
        : !string.IsNullOrWhiteSpace(environmentValue) ? environmentValue.Trim()
        : null;
}
