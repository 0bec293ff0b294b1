using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace LoraBuild.Core.Cache;

/// <summary>
/// The package id and version a cache entry has: id <c>LoraBuild.Cache.&lt;Adapter&gt;</c>, version
/// <c>0.0.0-fp-&lt;first 32 hex digits of the fingerprint&gt;</c>. An adapter name that is no valid id part (a leading,
/// trailing or doubled '.', '-' or '_' next to another separator), or that would make the id longer than NuGet's 100
/// characters, is cut and followed by 16 hex digits of its own SHA-256, so distinct names never share an id.
/// </summary>
public static partial class CachePackageName
{
    public const string IdPrefix = "LoraBuild.Cache.";

    public const string VersionPrefix = "0.0.0-fp-";

    /// <summary>NuGet's limit on a package id.</summary>
    public const int MaxIdLength = 100;

    /// <summary>128 bits of the fingerprint: a collision is out of reach, and the full fingerprint is checked after download anyway.</summary>
    public const int FingerprintDigits = 32;

    private const int NameHashDigits = 16;

    public static string Id(string adapterName)
    {
        ArgumentException.ThrowIfNullOrEmpty(adapterName);
        if (IdPrefix.Length + adapterName.Length <= MaxIdLength && IdPartRegex().IsMatch(adapterName))
        {
            return IdPrefix + adapterName;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(adapterName)))[..NameHashDigits];
        var kept = SeparatorRunRegex().Replace(adapterName, ".").Trim('.', '-', '_');
        kept = kept[..Math.Min(kept.Length, MaxIdLength - IdPrefix.Length - NameHashDigits - 1)].TrimEnd('.', '-', '_');
        return kept.Length == 0 ? IdPrefix + hash : $"{IdPrefix}{kept}.{hash}";
    }

    /// <summary>
    /// A SemVer 2 pre-release whose one identifier mixes letters and digits, so a fingerprint starting with 0 is no
    /// numeric identifier with a leading zero; 41 characters, within every feed's version length limit.
    /// </summary>
    public static string Version(string fingerprint)
    {
        ArgumentException.ThrowIfNullOrEmpty(fingerprint);
        if (fingerprint.Length < FingerprintDigits || !fingerprint.All(char.IsAsciiHexDigit))
        {
            throw new ArgumentException($"A fingerprint is at least {FingerprintDigits} hex digits.", nameof(fingerprint));
        }

        return VersionPrefix + fingerprint[..FingerprintDigits].ToLowerInvariant();
    }

    [GeneratedRegex(@"^[A-Za-z0-9]+([._-][A-Za-z0-9]+)*$")]
    private static partial Regex IdPartRegex();

    [GeneratedRegex(@"[._-]{2,}")]
    private static partial Regex SeparatorRunRegex();
}
