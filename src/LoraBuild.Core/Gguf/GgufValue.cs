using System.Globalization;

namespace LoraBuild.Core.Gguf;

/// <summary>
/// One GGUF metadata value: a scalar, a string, or an array of one element type. <see cref="Value"/> holds the .NET
/// value (<c>uint</c>, <c>int</c>, <c>float</c>, <c>bool</c>, <c>string</c>, … by <see cref="Type"/>; for an array,
/// an <see cref="IReadOnlyList{T}"/> of <see cref="GgufValue"/> items of <see cref="ElementType"/>).
/// </summary>
public sealed record GgufValue
{
    private GgufValue(GgufValueType type, object value, GgufValueType elementType = default)
    {
        Type = type;
        Value = value;
        ElementType = elementType;
    }

    public GgufValueType Type { get; }

    public object Value { get; }

    /// <summary>The items' type when <see cref="Type"/> is <see cref="GgufValueType.Array"/>.</summary>
    public GgufValueType ElementType { get; }

    /// <summary>The items of an array value.</summary>
    public IReadOnlyList<GgufValue> Items => Value as IReadOnlyList<GgufValue> ?? throw new InvalidOperationException($"A {Type} value is not an array.");

    public static GgufValue Of(string value) => new(GgufValueType.String, value ?? throw new ArgumentNullException(nameof(value)));

    public static GgufValue Of(uint value) => new(GgufValueType.UInt32, value);

    public static GgufValue Of(int value) => new(GgufValueType.Int32, value);

    public static GgufValue Of(float value) => new(GgufValueType.Float32, value);

    public static GgufValue Of(bool value) => new(GgufValueType.Bool, value);

    public static GgufValue Of(ulong value) => new(GgufValueType.UInt64, value);

    /// <summary>A value of any scalar or string type, as the reader finds it.</summary>
    public static GgufValue Scalar(GgufValueType type, object value) => type is GgufValueType.Array
        ? throw new ArgumentException("Use Array for arrays.", nameof(type))
        : new(type, value);

    public static GgufValue Array(GgufValueType elementType, IReadOnlyList<GgufValue> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (elementType is GgufValueType.Array || items.Any(item => item.Type != elementType))
        {
            throw new ArgumentException($"Every item of an array must be one {elementType} scalar.", nameof(items));
        }

        return new(GgufValueType.Array, items, elementType);
    }

    public static GgufValue Strings(IEnumerable<string> values) => Array(GgufValueType.String, values.Select(Of).ToList());

    public static GgufValue Int32s(IEnumerable<int> values) => Array(GgufValueType.Int32, values.Select(Of).ToList());

    public static GgufValue Float32s(IEnumerable<float> values) => Array(GgufValueType.Float32, values.Select(Of).ToList());

    public string AsString() => Value as string ?? throw new InvalidOperationException($"A {Type} value is not a string.");

    /// <summary>A numeric scalar as a double (what tests and readers compare).</summary>
    public double AsDouble() => Type switch
    {
        GgufValueType.String or GgufValueType.Array or GgufValueType.Bool => throw new InvalidOperationException($"A {Type} value is not a number."),
        _ => Convert.ToDouble(Value, CultureInfo.InvariantCulture),
    };

    public bool Equals(GgufValue? other) => other is not null && Type == other.Type && ElementType == other.ElementType
        && (Type is GgufValueType.Array ? Items.SequenceEqual(other.Items) : Value.Equals(other.Value));

    public override int GetHashCode() => HashCode.Combine(Type, ElementType, Type is GgufValueType.Array ? Items.Count : Value.GetHashCode());
}
