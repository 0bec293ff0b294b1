using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using LoraBuild.Core.Adapters;
using LoraBuild.Core.Packaging;
using LoraBuild.Fuzz.Mutation;

namespace LoraBuild.Fuzz.Targets;

/// <summary>
/// An adapter <c>.nupkg</c> as a consumer opens it (<see cref="AdapterLocator.Resolve"/>, then the adapter's
/// configuration). Structured inputs rename entries to escape the extraction folder (zip-slip, absolute and
/// backslash paths), add large or duplicate entries, lie about sizes and edit the configuration; the rest are byte
/// edits of the archive. Any file that appears outside the extraction folder is a crash.
/// </summary>
internal sealed class PackageTarget : FuzzTarget
{
    private const int LargestSeedPackage = 4 << 20;

    private static readonly DateTimeOffset s_entryTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] s_names =
    [
        "lora/../../slip.txt", "../slip.txt", "lora/SupportTriage/../../slip.txt", "lora/..\\..\\slip.txt", "lora\\SupportTriage\\adapter_config.json",
        "/tmp/lorabuild-fuzz-slip/slip.txt", "lora//adapter_config.json", "lora/SupportTriage/", "lora/SupportTriage/sub/adapter_config.json",
        "lora/Support Triage/adapter_config.json", "lora/../adapter_config.json", "lora/./adapter_config.json", "lora/SupportTriage/..",
        "LORA/SupportTriage/adapter_config.json", "lora/SupportTriage/adapter_config.json", "lora/Ünï/adapter_config.json", "lora/a/con",
        "lora/SupportTriage/" + new string('a', 300), "lora/Other/adapter_config.json", "lora/SupportTriage/\u0000.json",
    ];

    private readonly List<byte[]> _seeds = [];
    private readonly List<List<(string Name, byte[] Content)>> _entries = [];
    private string[] _keys = [];
    private string _scratch = "";
    private string _package = "";
    private string _extraction = "";

    public override string Name => "package";

    public override IReadOnlyList<byte[]> Seeds => _seeds;

    public override void Prepare(SeedFiles seeds, string scratch)
    {
        _scratch = scratch;
        _package = Path.Combine(scratch, "adapter.nupkg");
        _extraction = Path.Combine(scratch, "extracted");
        var config = seeds.Own("adapter_config.json");
        _keys = [.. JsonMutator.PropertyNames(JsonMutator.TryParse(Encoding.UTF8.GetString(config)))];
        _entries.Add(
        [
            ("[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"utf-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\" />"u8.ToArray()),
            ("SupportTriage.nuspec", "<?xml version=\"1.0\"?><package><metadata><id>SupportTriage</id><version>1.0.0</version></metadata></package>"u8.ToArray()),
            ("lora/SupportTriage/adapter_config.json", config),
            ("lora/SupportTriage/adapter_model.safetensors", [2, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}']),
            ("lora/SupportTriage/lorabuild.json", "{}"u8.ToArray()),
        ]);
        foreach (var package in seeds.All("artifacts/packages", "*.nupkg").Where(bytes => bytes.Length <= LargestSeedPackage))
        {
            _entries.Add(ReadEntries(package));
        }

        _seeds.AddRange(_entries.Select(Zip));
    }

    public override byte[] Mutate(SplitMix64 random)
    {
        if (random.Below(10) < 4)
        {
            return base.Mutate(random);
        }

        var entries = random.Pick(_entries).ToList();
        for (var edits = 1 + random.Below(3); edits > 0; edits--)
        {
            var at = random.Below(entries.Count);
            switch (random.Below(6))
            {
                case 0: entries[at] = (random.Pick(s_names), entries[at].Content); break;
                case 1: entries.Add((random.Pick(s_names), entries[at].Content)); break;
                case 2: entries.Add(("lora/SupportTriage/large.bin", new byte[random.Pick([1 << 16, 1 << 20, 4 << 20])])); break;
                case 3: entries.RemoveAt(at); break;
                case 4: entries.Add(entries[at]); break;
                default:
                    var config = entries.FindIndex(entry => entry.Name.EndsWith(AdapterConfigJson.FileName, StringComparison.Ordinal));
                    if (config >= 0 && JsonMutator.TryParse(Encoding.UTF8.GetString(entries[config].Content)) is { } document)
                    {
                        entries[config] = (entries[config].Name, Encoding.UTF8.GetBytes(JsonMutator.Mutate(random, document, _keys)));
                    }

                    break;
            }

            if (entries.Count == 0)
            {
                break;
            }
        }

        var zip = Zip(entries);
        if (random.Chance(6))
        {
            LieAboutSize(random, zip);
        }

        return zip;
    }

    public override void Execute(byte[] input)
    {
        File.WriteAllBytes(_package, input);
        try
        {
            var folder = AdapterLocator.Resolve(_package, adapterName: null, extractionFolder: _extraction);
            var config = Path.Combine(folder, AdapterConfigJson.FileName);
            if (File.Exists(config))
            {
                AdapterConfigJson.Read(config);
            }
        }
        finally
        {
            CheckNothingEscaped();
        }
    }

    private void CheckNothingEscaped()
    {
        var escaped = Directory.EnumerateFileSystemEntries(_scratch)
            .Where(path => path != _package && path != _extraction)
            .Concat(Directory.Exists("/tmp/lorabuild-fuzz-slip") ? ["/tmp/lorabuild-fuzz-slip"] : [])
            .ToList();
        if (Directory.Exists(_extraction))
        {
            Directory.Delete(_extraction, recursive: true);
        }

        foreach (var path in escaped)
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
            else
            {
                File.Delete(path);
            }
        }

        if (escaped.Count > 0)
        {
            throw new InvalidOperationException($"Zip-slip: the package wrote outside its extraction folder: {string.Join(", ", escaped)}.");
        }
    }

    /// <summary>Sets the uncompressed size that one central directory record declares to a large value.</summary>
    private static void LieAboutSize(SplitMix64 random, byte[] zip)
    {
        var records = new List<int>();
        for (var i = 0; i + 28 <= zip.Length; i++)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i)) == 0x02014B50)
            {
                records.Add(i);
            }
        }

        if (records.Count > 0)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(random.Pick(records) + 24), random.Pick([0u, 1u, 0x7FFFFFFFu, 0xFFFFFFFEu]));
        }
    }

    private static List<(string Name, byte[] Content)> ReadEntries(byte[] package)
    {
        using var archive = new ZipArchive(new MemoryStream(package), ZipArchiveMode.Read);
        return [.. archive.Entries.Select(entry =>
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return (entry.FullName, copy.ToArray());
        })];
    }

    private static byte[] Zip(List<(string Name, byte[] Content)> entries)
    {
        using var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                var entry = archive.CreateEntry(name, CompressionLevel.Fastest);
                entry.LastWriteTime = s_entryTime;
                using var writer = entry.Open();
                writer.Write(content);
            }
        }

        return stream.ToArray();
    }
}
