namespace LoraBuild.Tasks.Items;

/// <summary>Where an item (or one of its metadata) is written: a project or import file, with 1-based line and column (0 when unknown).</summary>
public sealed record ItemLocation(string File, int Line, int Column)
{
    /// <summary>The canonical MSBuild origin, <c>file(line,col)</c>, that compilers and ToolTask parse.</summary>
    public override string ToString() => Line > 0 ? $"{File}({Line},{Column})" : File;
}
