namespace LoraBuild.Core.Jinja;

/// <summary>The <c>loop</c> variable of a for loop (loops are never recursive here, so <c>depth</c> is always 1).</summary>
internal sealed class LoopContext
{
    private readonly IReadOnlyList<object?> _items;

    public LoopContext(IReadOnlyList<object?> items)
    {
        _items = items;
    }

    public int Index0 { get; set; }

    public object? GetAttribute(string name) => name switch
    {
        "index" => (long)(Index0 + 1),
        "index0" => (long)Index0,
        "revindex" => (long)(_items.Count - Index0),
        "revindex0" => (long)(_items.Count - Index0 - 1),
        "first" => Index0 == 0,
        "last" => Index0 == _items.Count - 1,
        "length" => (long)_items.Count,
        "depth" => 1L,
        "depth0" => 0L,
        "previtem" => Index0 > 0 ? _items[Index0 - 1] : JinjaUndefined.Attribute(this, "previtem"),
        "nextitem" => Index0 + 1 < _items.Count ? _items[Index0 + 1] : JinjaUndefined.Attribute(this, "nextitem"),
        "cycle" => new BuiltinFunction("cycle", (args, _) =>
            args.Positional.Count == 0 ? JinjaUndefined.Attribute(this, "cycle") : args.Positional[Index0 % args.Positional.Count]),
        _ => JinjaUndefined.Attribute(this, name),
    };

    public override string ToString() => $"<LoopContext {Index0 + 1}/{_items.Count}>";
}
