using System.Globalization;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Hub;

/// <summary>
/// Reads <see cref="HubSettings"/> from the environment variables huggingface_hub reads, with its defaults, so that a
/// model downloaded by either tool is found by the other: <c>HF_ENDPOINT</c>, <c>HF_HOME</c>, <c>HF_HUB_CACHE</c>,
/// <c>HF_TOKEN</c>, <c>HF_TOKEN_PATH</c>, <c>HF_HUB_OFFLINE</c>, <c>HF_HUB_DOWNLOAD_TIMEOUT</c>.
/// </summary>
public static class HubEnvironment
{
    /// <summary>The settings of this process's environment.</summary>
    public static HubSettings Current() => Read(Environment.GetEnvironmentVariable);

    /// <exception cref="LoraException">LORA2088: <c>HF_ENDPOINT</c> or <c>HF_HUB_DOWNLOAD_TIMEOUT</c> is malformed.</exception>
    public static HubSettings Read(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        string? Get(string name) => variable(name) is { Length: > 0 } value ? value.Trim() : null;

        var home = ExpandHome(Get("HF_HOME") ?? Path.Combine(Get("XDG_CACHE_HOME") ?? "~/.cache", "huggingface"));
        var cache = ExpandHome(Get("HF_HUB_CACHE") ?? Get("HUGGINGFACE_HUB_CACHE") ?? Path.Combine(home, "hub"));
        var endpointText = (Get("HF_ENDPOINT") ?? HubSettings.DefaultEndpoint).TrimEnd('/');
        if (!Uri.TryCreate(endpointText, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new LoraException(HubErrorCodes.SettingInvalid, $"HF_ENDPOINT must be an http(s) URL such as {HubSettings.DefaultEndpoint}, not '{endpointText}'.", "HF_ENDPOINT");
        }

        var timeout = TimeSpan.FromSeconds(10);
        if (Get("HF_HUB_DOWNLOAD_TIMEOUT") is { } seconds)
        {
            if (!double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !(value > 0))
            {
                throw new LoraException(HubErrorCodes.SettingInvalid, $"HF_HUB_DOWNLOAD_TIMEOUT must be a positive number of seconds, not '{seconds}'.", "HF_HUB_DOWNLOAD_TIMEOUT");
            }

            timeout = TimeSpan.FromSeconds(value);
        }

        var (token, source) = Token(Get, home);
        return new HubSettings
        {
            Endpoint = endpoint,
            CacheDirectory = Path.GetFullPath(cache),
            Token = token,
            TokenSource = source,
            Offline = IsTrue(Get("HF_HUB_OFFLINE")),
            ReadTimeout = timeout,
        };
    }

    private static (string? Token, string? Source) Token(Func<string, string?> get, string home)
    {
        foreach (var name in (string[])["HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"])
        {
            if (get(name) is { } value)
            {
                return (value, name);
            }
        }

        var file = ExpandHome(get("HF_TOKEN_PATH") ?? Path.Combine(home, "token"));
        try
        {
            return File.Exists(file) && File.ReadAllText(file).Trim() is { Length: > 0 } stored ? (stored, file) : (null, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // An unreadable token file is treated like no token: public models still download.
            return (null, null);
        }
    }

    private static bool IsTrue(string? value) =>
        value is not null && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase)
            || value.Equals("yes", StringComparison.OrdinalIgnoreCase) || value.Equals("on", StringComparison.OrdinalIgnoreCase));

    private static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.Length > 2 ? path[2..] : string.Empty)
            : path;
}
