using System.Buffers.Binary;
using System.Text;

namespace LoraBuild.Engine.Native;

/// <summary>
/// The parts of a 64-bit little-endian ELF shared object that symbol versioning needs:
/// version requirements (<c>.gnu.version_r</c>), version definitions (<c>.gnu.version_d</c>),
/// the version index of each dynamic symbol and the relocations that refer to symbols.
/// </summary>
internal sealed class ElfImage
{
    private const uint SectionTypeRela = 4;
    private const uint SectionTypeDynamicSymbols = 11;
    private const uint SectionTypeRel = 9;
    private const uint SectionTypeVersionDefinitions = 0x6ffffffd;
    private const uint SectionTypeVersionNeeds = 0x6ffffffe;
    private const uint SectionTypeVersionSymbols = 0x6fffffff;

    private readonly byte[] _bytes;
    private readonly IReadOnlyList<Section> _sections;

    private ElfImage(byte[] bytes, IReadOnlyList<Section> sections)
    {
        _bytes = bytes;
        _sections = sections;
    }

    public static ElfImage Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
        {
            throw new InvalidDataException($"'{path}' is not an ELF file.");
        }

        if (bytes[4] != 2 || bytes[5] != 1)
        {
            throw new InvalidDataException($"'{path}' is not a 64-bit little-endian ELF file.");
        }

        var sectionTableOffset = checked((long)ReadUInt64(bytes, 0x28));
        var sectionEntrySize = ReadUInt16(bytes, 0x3a);
        var sectionCount = ReadUInt16(bytes, 0x3c);
        if (sectionEntrySize < 64 || sectionTableOffset + ((long)sectionCount * sectionEntrySize) > bytes.Length)
        {
            throw new InvalidDataException($"'{path}' has a section table outside the file.");
        }

        var sections = new List<Section>(sectionCount);
        for (var i = 0; i < sectionCount; i++)
        {
            var at = checked((int)(sectionTableOffset + ((long)i * sectionEntrySize)));
            var section = new Section(
                Type: ReadUInt32(bytes, at + 4),
                Offset: checked((int)ReadUInt64(bytes, at + 24)),
                Size: checked((int)ReadUInt64(bytes, at + 32)),
                Link: ReadUInt32(bytes, at + 40),
                EntrySize: checked((int)ReadUInt64(bytes, at + 56)));
            if (section.Type != 8 && (long)section.Offset + section.Size > bytes.Length)
            {
                throw new InvalidDataException($"'{path}' has section {i} outside the file.");
            }

            sections.Add(section);
        }

        return new ElfImage(bytes, sections);
    }

    /// <summary>Every (library, version) pair the object requires, with where its flags live in the file.</summary>
    public IReadOnlyList<ElfVersionRequirement> VersionRequirements()
    {
        var result = new List<ElfVersionRequirement>();
        foreach (var section in _sections.Where(s => s.Type == SectionTypeVersionNeeds))
        {
            var strings = _sections[(int)section.Link];
            var need = section.Offset;
            while (true)
            {
                var auxCount = ReadUInt16(_bytes, need + 2);
                var file = ReadString(strings, ReadUInt32(_bytes, need + 4));
                var aux = need + (int)ReadUInt32(_bytes, need + 8);
                for (var i = 0; i < auxCount; i++)
                {
                    result.Add(new ElfVersionRequirement(
                        File: file,
                        Version: ReadString(strings, ReadUInt32(_bytes, aux + 8)),
                        Flags: ReadUInt16(_bytes, aux + 4),
                        FlagsFileOffset: aux + 4,
                        VersionIndex: (ushort)(ReadUInt16(_bytes, aux + 6) & 0x7fff)));
                    aux += (int)ReadUInt32(_bytes, aux + 12);
                }

                var next = ReadUInt32(_bytes, need + 12);
                if (next == 0)
                {
                    break;
                }

                need += (int)next;
            }
        }

        return result;
    }

    /// <summary>The version names the object defines (for libstdc++: GLIBCXX_3.4, …, GLIBCXX_3.4.30).</summary>
    public IReadOnlySet<string> VersionDefinitions()
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var section in _sections.Where(s => s.Type == SectionTypeVersionDefinitions))
        {
            var strings = _sections[(int)section.Link];
            var definition = section.Offset;
            while (true)
            {
                var auxCount = ReadUInt16(_bytes, definition + 6);
                var aux = definition + (int)ReadUInt32(_bytes, definition + 12);
                for (var i = 0; i < auxCount; i++)
                {
                    result.Add(ReadString(strings, ReadUInt32(_bytes, aux)));
                    aux += (int)ReadUInt32(_bytes, aux + 4);
                }

                var next = ReadUInt32(_bytes, definition + 16);
                if (next == 0)
                {
                    break;
                }

                definition += (int)next;
            }
        }

        return result;
    }

    /// <summary>
    /// Whether any relocation refers to a dynamic symbol bound to <paramref name="versionIndex"/>.
    /// If none does, the dynamic linker never needs a symbol of that version.
    /// </summary>
    public bool IsVersionUsedByRelocation(ushort versionIndex)
    {
        var symbolTableIndex = _sections.ToList().FindIndex(s => s.Type == SectionTypeDynamicSymbols);
        var versions = _sections.FirstOrDefault(s => s.Type == SectionTypeVersionSymbols);
        if (symbolTableIndex < 0 || versions is null)
        {
            return false;
        }

        var symbolsWithVersion = new HashSet<uint>();
        for (var i = 0; i < versions.Size / 2; i++)
        {
            if ((ReadUInt16(_bytes, versions.Offset + (2 * i)) & 0x7fff) == versionIndex)
            {
                symbolsWithVersion.Add((uint)i);
            }
        }

        if (symbolsWithVersion.Count == 0)
        {
            return false;
        }

        foreach (var relocations in _sections.Where(s => (s.Type is SectionTypeRela or SectionTypeRel) && s.Link == symbolTableIndex))
        {
            var entrySize = relocations.EntrySize > 0 ? relocations.EntrySize : (relocations.Type == SectionTypeRela ? 24 : 16);
            for (var at = relocations.Offset; at + entrySize <= relocations.Offset + relocations.Size; at += entrySize)
            {
                var symbol = (uint)(ReadUInt64(_bytes, at + 8) >> 32);
                if (symbol != 0 && symbolsWithVersion.Contains(symbol))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private string ReadString(Section strings, uint offset)
    {
        var start = strings.Offset + (int)offset;
        var end = offset < strings.Size ? Array.IndexOf(_bytes, (byte)0, start, strings.Size - (int)offset) : -1;
        if (end < 0)
        {
            throw new InvalidDataException("A version name points outside its string table.");
        }

        return Encoding.ASCII.GetString(_bytes, start, end - start);
    }

    private static ushort ReadUInt16(byte[] bytes, int at) => BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at));

    private static uint ReadUInt32(byte[] bytes, int at) => BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at));

    private static ulong ReadUInt64(byte[] bytes, long at) => BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan((int)at));

    private sealed record Section(uint Type, int Offset, int Size, uint Link, int EntrySize);
}

/// <summary>One <c>Vernaux</c> entry: the object needs <see cref="Version"/> from <see cref="File"/>.</summary>
internal sealed record ElfVersionRequirement(string File, string Version, ushort Flags, int FlagsFileOffset, ushort VersionIndex)
{
    /// <summary>The <c>VER_FLG_WEAK</c> bit: a missing weak version is not fatal to the dynamic linker.</summary>
    public const ushort WeakFlag = 0x2;

    public bool IsWeak => (Flags & WeakFlag) != 0;
}
