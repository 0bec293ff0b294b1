using System.Diagnostics;
using System.Security.Cryptography;
using LoraBuild.Core.Diagnostics;
using NuGet.Common;
using NuGet.Configuration;
using NuGet.Packaging.Core;
using NuGet.Packaging.Signing;
using NuGet.Protocol;
using NuGet.Protocol.Core.Types;
using NuGet.Versioning;

namespace LoraBuild.Core.Packages;

/// <summary>
/// Puts a package into the NuGet global packages folder the way restore does (same folder, same layout,
/// <c>.nupkg.metadata</c> last, NuGet's own file lock and signature policy), fetching it from the feeds nuget.config
/// configures for a folder. A package whose SHA-512 is known is checked before it is extracted. Nothing here runs code
/// of the caller's assembly on another thread (progress goes to a <see cref="TextWriter"/>), so it can run inside a
/// module initializer, which is where the engine loads libtorch.
/// </summary>
public static class GlobalPackageInstaller
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(3);

    /// <summary>The global packages folder NuGet uses here (NUGET_PACKAGES, nuget.config's globalPackagesFolder, or ~/.nuget/packages).</summary>
    public static string GlobalPackagesFolder(string root) => SettingsUtility.GetGlobalPackagesFolder(Settings.LoadDefaultSettings(root));

    /// <summary>Where NuGet extracts a package in a global packages folder (ids are lower-cased there).</summary>
    public static string FolderOf(string id, string version, string globalPackagesFolder) =>
        Path.Combine(globalPackagesFolder, id.ToLowerInvariant(), version.ToLowerInvariant());

    /// <summary>Whether the package is completely extracted in <paramref name="globalPackagesFolder"/> (NuGet writes <c>.nupkg.metadata</c> last).</summary>
    public static bool IsInstalled(string id, string version, string globalPackagesFolder) =>
        File.Exists(Path.Combine(FolderOf(id, version, globalPackagesFolder), ".nupkg.metadata"));

    /// <summary>Fetches a package from the first configured feed that has it and installs it.</summary>
    /// <param name="package">Id, version and, when known, the .nupkg's base64 SHA-512.</param>
    /// <param name="root">The folder whose nuget.config files name the feeds (the current folder).</param>
    /// <param name="progress">Receives a line when the download starts, every few seconds and when it is installed.</param>
    /// <param name="hint">What to do when no feed has it, appended to the error.</param>
    /// <returns>The feed it came from.</returns>
    /// <exception cref="LoraException"><see cref="PackageInstallErrorCodes.PackageUnavailable"/> or <see cref="PackageInstallErrorCodes.HashMismatch"/>.</exception>
    public static string Fetch(PackageToInstall package, string root, TextWriter progress, string hint, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(progress);
        return Task.Run(() => FetchAsync(package, root, progress, hint, cancellation), cancellation).GetAwaiter().GetResult();
    }

    private static async Task<string> FetchAsync(PackageToInstall package, string root, TextWriter progress, string hint, CancellationToken cancellation)
    {
        void report(string line) => progress.WriteLine(line);

        var settings = Settings.LoadDefaultSettings(root);
        var globalPackagesFolder = SettingsUtility.GetGlobalPackagesFolder(settings);
        var sources = new PackageSourceProvider(settings).LoadPackageSources().Where(source => source.IsEnabled).ToList();
        var identity = new PackageIdentity(package.Id, NuGetVersion.Parse(package.Version));
        var name = $"{package.Id} {package.Version}";
        var failures = new List<string>();
        using var context = new SourceCacheContext { NoCache = true, DirectDownload = true };
        foreach (var source in sources)
        {
            Directory.CreateDirectory(globalPackagesFolder);
            var download = Path.Combine(globalPackagesFolder, $".{package.Id.ToLowerInvariant()}.{Guid.NewGuid():N}.nupkg");
            try
            {
                var resource = await Repository.Factory.GetCoreV3(source).GetResourceAsync<FindPackageByIdResource>(cancellation).ConfigureAwait(false);
                if (resource is null || !await resource.DoesPackageExistAsync(package.Id, identity.Version, context, NullLogger.Instance, cancellation).ConfigureAwait(false))
                {
                    failures.Add($"{source.Source}: not there");
                    continue;
                }

                report($"Fetching {name} from {source.Source} into {globalPackagesFolder} …");
                var clock = Stopwatch.StartNew();
                await using (var file = new FileStream(download, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 20, FileOptions.DeleteOnClose))
                {
                    await using var counting = new CountingStream(file, bytes => report($"  {bytes / 1048576.0:F0} MB of {name} ({bytes / 1048576.0 / Math.Max(clock.Elapsed.TotalSeconds, 0.001):F1} MB/s)"), ProgressInterval);
                    if (!await resource.CopyNupkgToStreamAsync(package.Id, identity.Version, counting, context, NullLogger.Instance, cancellation).ConfigureAwait(false))
                    {
                        failures.Add($"{source.Source}: download failed");
                        continue;
                    }

                    file.Position = 0;
                    var hash = Convert.ToBase64String(await SHA512.HashDataAsync(file, cancellation).ConfigureAwait(false));
                    if (package.Sha512 is { } expected && hash != expected)
                    {
                        throw new LoraException(
                            PackageInstallErrorCodes.HashMismatch,
                            $"{name} from {source.Source} has SHA-512 {hash}, not the {expected} of the package this engine was built with; it was not installed.",
                            source.Source);
                    }

                    file.Position = 0;
                    using var installed = await GlobalPackagesFolderUtility.AddPackageAsync(
                        source.Source, identity, file, globalPackagesFolder, Guid.Empty, ClientPolicyContext.GetClientPolicy(settings, NullLogger.Instance), NullLogger.Instance, cancellation).ConfigureAwait(false);
                }

                report($"Installed {name} from {source.Source} in {clock.Elapsed.TotalSeconds:F0} s ({(package.Sha512 is null ? "signature checked by NuGet's policy" : "SHA-512 verified")}).");
                return source.Source;
            }
            catch (Exception e) when (e is FatalProtocolException or HttpRequestException or IOException or UnauthorizedAccessException or InvalidDataException
                && e is not OperationCanceledException)
            {
                failures.Add($"{source.Source}: {e.Message}");
            }
        }

        throw new LoraException(
            PackageInstallErrorCodes.PackageUnavailable,
            $"{name} is not in the NuGet packages folder ({globalPackagesFolder}) and no configured feed supplied it"
                + (failures.Count == 0 ? " (nuget.config names no enabled feed)." : $": {string.Join("; ", failures)}.")
                + " " + hint,
            package.Id);
    }

    /// <summary>Counts bytes written through it and reports the count at most every <c>interval</c>.</summary>
    private sealed class CountingStream(Stream inner, Action<long> report, TimeSpan interval) : Stream
    {
        private readonly Stopwatch _sinceReport = Stopwatch.StartNew();
        private long _written;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _written;

        public override long Position { get => _written; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            inner.Write(buffer);
            Count(buffer.Length);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            Count(buffer.Length);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        private void Count(int bytes)
        {
            _written += bytes;
            if (_sinceReport.Elapsed >= interval)
            {
                report(_written);
                _sinceReport.Restart();
            }
        }
    }
}

/// <summary>A package to put into the global packages folder.</summary>
/// <param name="Sha512">The base64 SHA-512 of the .nupkg, when known: a fetched package must match it.</param>
public sealed record PackageToInstall(string Id, string Version, string? Sha512);
