using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Hub;

namespace LoraBuild.Core.Tests.Hub;

public class HubEnvironmentTests
{
    private static readonly string s_home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    [Fact]
    public void DefaultsAreHuggingfaceHubs()
    {
        var settings = HubEnvironment.Read(Variables());

        Assert.Equal(new Uri("https://huggingface.co"), settings.Endpoint);
        Assert.Equal(Path.Combine(s_home, ".cache", "huggingface", "hub"), settings.CacheDirectory);
        Assert.False(settings.Offline);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.ReadTimeout);
    }

    [Fact]
    public void HubCacheWinsOverHomeWhichWinsOverXdgCacheHome()
    {
        Assert.Equal("/x/hub", HubEnvironment.Read(Variables(("XDG_CACHE_HOME", "/x"))).CacheDirectory.Replace("/huggingface", string.Empty, StringComparison.Ordinal));
        Assert.Equal("/h/hub", HubEnvironment.Read(Variables(("XDG_CACHE_HOME", "/x"), ("HF_HOME", "/h"))).CacheDirectory);
        Assert.Equal("/c", HubEnvironment.Read(Variables(("HF_HOME", "/h"), ("HF_HUB_CACHE", "/c"))).CacheDirectory);
        Assert.Equal(Path.Combine(s_home, "models"), HubEnvironment.Read(Variables(("HF_HUB_CACHE", "~/models"))).CacheDirectory);
    }

    [Fact]
    public void EndpointOfflineAndTimeoutComeFromTheirVariables()
    {
        var settings = HubEnvironment.Read(Variables(("HF_ENDPOINT", "http://127.0.0.1:8080/"), ("HF_HUB_OFFLINE", "1"), ("HF_HUB_DOWNLOAD_TIMEOUT", "2.5")));

        Assert.Equal(new Uri("http://127.0.0.1:8080"), settings.Endpoint);
        Assert.True(settings.Offline);
        Assert.Equal(TimeSpan.FromSeconds(2.5), settings.ReadTimeout);
        Assert.True(HubEnvironment.Read(Variables(("HF_HUB_OFFLINE", "TRUE"))).Offline);
        Assert.False(HubEnvironment.Read(Variables(("HF_HUB_OFFLINE", "0"))).Offline);
    }

    [Fact]
    public void AMalformedEndpointIsACodedError()
    {
        var error = Assert.Throws<LoraException>(() => HubEnvironment.Read(Variables(("HF_ENDPOINT", "ftp://hub"))));

        Assert.Equal(HubErrorCodes.SettingInvalid, error.Code);
    }

    [Fact]
    public void TheTokenComesFromHfTokenElseTheTokenFileAndIsNeverShown()
    {
        using var folder = new TempDirectory();
        var tokenFile = folder.Write("token", "hf_fromTheFile123\n");

        var fromVariable = HubEnvironment.Read(Variables(("HF_TOKEN", "hf_fromTheVariable456"), ("HF_HOME", folder.Path)));
        var fromFile = HubEnvironment.Read(Variables(("HF_HOME", folder.Path)));
        var fromPath = HubEnvironment.Read(Variables(("HF_TOKEN_PATH", tokenFile)));
        var none = HubEnvironment.Read(Variables(("HF_HOME", Path.Combine(folder.Path, "empty"))));

        Assert.Equal("hf_fromTheVariable456", fromVariable.Token);
        Assert.Equal("HF_TOKEN", fromVariable.TokenSource);
        Assert.Equal("hf_fromTheFile123", fromFile.Token);
        Assert.Equal(tokenFile, fromFile.TokenSource);
        Assert.Equal("hf_fromTheFile123", fromPath.Token);
        Assert.Null(none.Token);
        Assert.DoesNotContain("hf_fromTheVariable456", fromVariable.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hf_fromTheFile123", fromFile.ToString(), StringComparison.Ordinal);
    }

    private static Func<string, string?> Variables(params (string Name, string Value)[] values)
    {
        var map = values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        // HOME-relative defaults come from the real profile folder; no other real variable leaks in.
        return name => map.GetValueOrDefault(name);
    }
}
