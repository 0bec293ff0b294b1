using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NuGet.Packaging;

namespace LoraBuild.Tasks.Tests.Cache;

/// <summary>
/// A minimal NuGet v3 feed on the loopback interface, served from memory: the service index, the package base address
/// (flat container: versions and .nupkg downloads) and PackagePublish (PUT with X-NuGet-ApiKey, DELETE). Every request
/// needs HTTP basic authentication, answered with a challenge as real feeds do.
/// </summary>
internal sealed class LoopbackNuGetFeed : IDisposable
{
    public const string User = "ci";
    public const string Password = "s3cret-password";
    public const string ApiKey = "push-key-1234";

    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, byte[]> _packages = new(StringComparer.OrdinalIgnoreCase);
    private readonly Task _serving;

    public LoopbackNuGetFeed()
    {
        var port = FreePort();
        BaseAddress = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(BaseAddress);
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public string BaseAddress { get; }

    public string IndexUrl => BaseAddress + "v3/index.json";

    /// <summary>Requests turned away for lack of credentials, then those that came with them.</summary>
    public int Challenged { get; private set; }

    public int Pushes { get; private set; }

    /// <summary>Package key (<c>id/version</c>, lower case) to bytes.</summary>
    public IDictionary<string, byte[]> Packages => _packages;

    /// <summary>A nuget.config naming this feed <paramref name="name"/>, with its credentials, and no other source.</summary>
    public string NuGetConfig(string name) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <clear />
            <add key="{name}" value="{IndexUrl}" allowInsecureConnections="true" />
          </packageSources>
          <packageSourceCredentials>
            <{name}>
              <add key="Username" value="{User}" />
              <add key="ClearTextPassword" value="{Password}" />
            </{name}>
          </packageSourceCredentials>
        </configuration>
        """;

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Stopping the listener ends GetContextAsync with an exception.
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                Handle(context);
            }
            catch (Exception e) when (e is HttpListenerException or IOException)
            {
                // The client went away.
            }
            finally
            {
                context.Response.Close();
            }
        }
    }

    private void Handle(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));
        if (request.Headers["Authorization"] != expected)
        {
            Challenged++;
            response.StatusCode = 401;
            response.AddHeader("WWW-Authenticate", "Basic realm=\"cache\"");
            return;
        }

        var path = request.Url!.AbsolutePath.Trim('/').ToLowerInvariant();
        var parts = path.Split('/');
        switch (request.HttpMethod, parts)
        {
            case ("GET", ["v3", "index.json"]):
                Json(response, $$"""
                    {"version": "3.0.0", "resources": [
                      {"@id": "{{BaseAddress}}flat/", "@type": "PackageBaseAddress/3.0.0"},
                      {"@id": "{{BaseAddress}}push", "@type": "PackagePublish/2.0.0"}]}
                    """);
                break;
            case ("GET", ["flat", var id, "index.json"]):
                var versions = _packages.Keys.Where(k => k.StartsWith(id + "/", StringComparison.Ordinal)).Select(k => $"\"{k[(id.Length + 1)..]}\"").ToList();
                if (versions.Count == 0)
                {
                    response.StatusCode = 404;
                    return;
                }

                Json(response, $$"""{"versions": [{{string.Join(",", versions)}}]}""");
                break;
            case ("GET", ["flat", var id, var version, _]) when _packages.TryGetValue($"{id}/{version}", out var bytes):
                response.ContentType = "application/octet-stream";
                response.OutputStream.Write(bytes);
                break;
            case ("PUT", ["push"]):
                if (request.Headers["X-NuGet-ApiKey"] != ApiKey)
                {
                    response.StatusCode = 403;
                    return;
                }

                var package = MultipartFile(request);
                using (var reader = new PackageArchiveReader(new MemoryStream(package)))
                {
                    var identity = reader.GetIdentity();
                    var key = $"{identity.Id}/{identity.Version.ToNormalizedString()}".ToLowerInvariant();
                    response.StatusCode = _packages.TryAdd(key, package) ? 201 : 409;
                }

                Pushes++;
                break;
            case ("DELETE", ["push", var id, var version]):
                response.StatusCode = request.Headers["X-NuGet-ApiKey"] != ApiKey ? 403 : _packages.TryRemove($"{id}/{version}", out _) ? 204 : 404;
                break;
            default:
                response.StatusCode = 404;
                break;
        }
    }

    /// <summary>The one file of a multipart/form-data body, as NuGet's push sends it.</summary>
    private static byte[] MultipartFile(HttpListenerRequest request)
    {
        using var body = new MemoryStream();
        request.InputStream.CopyTo(body);
        var bytes = body.ToArray();
        var boundary = "--" + request.ContentType!.Split("boundary=")[1].Trim('"');
        var headerEnd = IndexOf(bytes, "\r\n\r\n"u8.ToArray(), 0) + 4;
        var end = IndexOf(bytes, Encoding.ASCII.GetBytes("\r\n" + boundary), headerEnd);
        return bytes[headerEnd..end];
    }

    private static int IndexOf(byte[] haystack, byte[] needle, int start)
    {
        var index = haystack.AsSpan(start).IndexOf(needle);
        return index < 0 ? throw new InvalidDataException("Malformed multipart body.") : start + index;
    }

    private static void Json(HttpListenerResponse response, string json)
    {
        response.ContentType = "application/json";
        response.OutputStream.Write(Encoding.UTF8.GetBytes(json));
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
