using LoraBuild.Engine.Native;
using TorchSharp;

namespace LoraBuild.Engine.Tests.Native;

public class TorchRuntimeTests
{
    [Fact]
    public void MissingVersionsAreOnlyUnmetStrongLibStdCxxNeeds()
    {
        ElfVersionRequirement[] required =
        [
            new("libstdc++.so.6", "GLIBCXX_3.4", 0, 0, 2),
            new("libstdc++.so.6", "GLIBCXX_3.4.32", 0, 0, 3),
            new("libstdc++.so.6", "GLIBCXX_3.4.31", ElfVersionRequirement.WeakFlag, 0, 4),
            new("libc.so.6", "GLIBC_2.99", 0, 0, 5),
        ];

        var missing = TorchRuntime.MissingVersions(required, new HashSet<string> { "GLIBCXX_3.4", "GLIBCXX_3.4.30" });

        Assert.Equal(["GLIBCXX_3.4.32"], missing.Select(m => m.Version));
    }

    [Fact]
    public void NothingIsMissingWhenTheSystemLibraryIsNewEnough()
    {
        ElfVersionRequirement[] required = [new("libstdc++.so.6", "GLIBCXX_3.4.32", 0, 0, 3)];

        Assert.Empty(TorchRuntime.MissingVersions(required, new HashSet<string> { "GLIBCXX_3.4.32", "GLIBCXX_3.4.33" }));
    }

    [Fact]
    public void EnsureLoadedLeavesTorchWorkingAndSaysWhatItDid()
    {
        var report = TorchRuntime.EnsureLoaded();

        using var a = torch.ones(3, 3, requires_grad: true);
        using var b = (a * 2).sum();
        b.backward();
        Assert.Equal(18f, b.item<float>());
        Assert.Equal(2f, a.grad!.mean().item<float>());

        if (report.State == NativeFixState.Patched)
        {
            Assert.NotEmpty(report.MissingVersions);
            Assert.NotEqual(report.LibTorchSharpPath, report.LoadedFrom);
            var patched = ElfImage.Read(report.LoadedFrom!).VersionRequirements();
            Assert.All(patched.Where(r => report.MissingVersions.Contains(r.Version)), r => Assert.True(r.IsWeak));
            AssertOnlyFlagBytesDiffer(report.LibTorchSharpPath!, report.LoadedFrom!);
        }
        else
        {
            Assert.Empty(report.MissingVersions);
        }

        Assert.Contains(report.State == NativeFixState.Patched ? "applied" : "not needed", report.Describe(), StringComparison.Ordinal);
    }

    private static void AssertOnlyFlagBytesDiffer(string original, string patched)
    {
        var before = File.ReadAllBytes(original);
        var after = File.ReadAllBytes(patched);
        Assert.Equal(before.Length, after.Length);
        var flagOffsets = ElfImage.Read(original).VersionRequirements().SelectMany(r => new[] { r.FlagsFileOffset, r.FlagsFileOffset + 1 }).ToHashSet();
        var differing = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToList();
        Assert.NotEmpty(differing);
        Assert.All(differing, i => Assert.Contains(i, flagOffsets));
    }
}
