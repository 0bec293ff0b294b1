using System.Reflection;
using System.Reflection.Emit;
using LoraBuild.Engine.Tokenizers.Normalization;

namespace LoraBuild.Engine.Tests.Tokenizers.Normalization;

/// <summary>
/// The engine's normalization gives the same results with and without ICU (invariant globalization) because it never
/// reaches .NET's own normalization, which is ICU's: read from the IL of everything it can call within the engine.
/// </summary>
public sealed class IcuIndependenceTests
{
    private static readonly Dictionary<short, OpCode> s_opCodes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!)
        .ToDictionary(code => code.Value);

    [Fact]
    public void NormalizationNeverCallsTheRuntimesNormalize()
    {
        var engine = typeof(UnicodeNormalizer).Assembly;
        var roots = engine.GetTypes()
            .Where(type => type.Namespace == typeof(UnicodeNormalizer).Namespace
                || (type.FullName ?? string.Empty).StartsWith("LoraBuild.Engine.Tokenizers.UnicodeNormalization", StringComparison.Ordinal))
            .SelectMany(Methods);
        var seen = new HashSet<MethodBase>();
        var pending = new Queue<MethodBase>(roots);
        var external = new HashSet<string>();
        while (pending.TryDequeue(out var method))
        {
            if (!seen.Add(method))
            {
                continue;
            }

            foreach (var callee in Callees(method))
            {
                if (callee.Module.Assembly == engine)
                {
                    pending.Enqueue(callee);
                }
                else
                {
                    external.Add($"{callee.DeclaringType?.FullName}.{callee.Name}");
                }
            }
        }

        // The reader does see calls: the scan for text to normalize is one.
        Assert.Contains("System.MemoryExtensions.IndexOfAnyExceptInRange", external);
        Assert.Contains(typeof(UnicodeNormalizer).GetMethod(nameof(UnicodeNormalizer.Normalize))!, seen);
        var normalizing = external.Where(name => name.EndsWith(".Normalize", StringComparison.Ordinal)
            || name.EndsWith(".IsNormalized", StringComparison.Ordinal)
            || name.Contains("Globalization", StringComparison.Ordinal)).ToList();
        Assert.True(normalizing.Count == 0, $"reaches {string.Join(", ", normalizing)}");
    }

    private static IEnumerable<MethodBase> Methods(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Cast<MethodBase>()
            .Concat(type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static));

    /// <summary>The methods a method's IL calls, loads or constructs (call, callvirt, newobj, ldftn, ...).</summary>
    private static IEnumerable<MethodBase> Callees(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray() ?? [];
        var typeArguments = method.DeclaringType?.IsGenericType == true ? method.DeclaringType.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var i = 0; i < il.Length;)
        {
            var code = il[i] == 0xFE ? s_opCodes[(short)(0xFE00 | il[i + 1])] : s_opCodes[il[i]];
            i += code.Size;
            if (code.OperandType == OperandType.InlineMethod)
            {
                var callee = method.Module.ResolveMethod(BitConverter.ToInt32(il, i), typeArguments, methodArguments);
                if (callee is not null)
                {
                    yield return callee;
                }
            }

            i += code.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, i)),
                _ => 4,
            };
        }
    }
}
