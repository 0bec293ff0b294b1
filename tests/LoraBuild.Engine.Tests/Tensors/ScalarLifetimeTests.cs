using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using LoraBuild.Engine.Tensors;
using TorchSharp;

namespace LoraBuild.Engine.Tests.Tensors;

/// <summary>
/// The engine passes libtorch no <see cref="Scalar"/> that the garbage collector may finalize during the call (see
/// <see cref="LiveScalars"/>): its compiled code converts no number to a Scalar implicitly and calls no TorchSharp method
/// whose own code makes one.
/// </summary>
public class ScalarLifetimeTests
{
    [Fact]
    public void TheEngineMakesNoScalarThatNothingKeepsAlive()
    {
        var torchSharp = typeof(Scalar).Assembly.Location;
        var makers = ScalarMakingMethods(torchSharp);
        Assert.Contains("Tensor.square()", makers);
        Assert.Contains("linalg.vector_norm(Tensor,Double,Int64[],Boolean)", makers);
        Assert.Contains("Tensor.op_Addition(Tensor,Tensor)", makers);
        Assert.DoesNotContain("Tensor.add(Tensor,Scalar)", makers);

        var offenders = CallsInto(typeof(LiveScalars).Assembly.Location, "TorchSharp")
            .Where(call => call.Callee == "Scalar.op_Implicit" || makers.Contains(call.CalleeWithParameters))
            .Select(call => $"{call.Caller} calls {call.CalleeWithParameters}")
            .Distinct(StringComparer.Ordinal)
            .ToList();

        Assert.True(offenders.Count == 0, "Scalars libtorch may read after they are finalized:\n" + string.Join('\n', offenders));
    }

    [Fact]
    public void TheScanSeesImplicitConversionsWhereTheyAre()
    {
        // This test assembly converts numbers freely (e.g. LiveScalarsTests' `left + 0.5`), so the scan must find some.
        var calls = CallsInto(typeof(ScalarLifetimeTests).Assembly.Location, "TorchSharp");

        Assert.Contains(calls, call => call.Callee == "Scalar.op_Implicit" && call.Caller.Contains(nameof(LiveScalarsTests), StringComparison.Ordinal));
    }

    /// <summary>TorchSharp methods (as "Type.name(parameter types)") whose body converts a number to a Scalar.</summary>
    private static HashSet<string> ScalarMakingMethods(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var image = new PEReader(stream);
        var metadata = image.GetMetadataReader();
        var scalarMakers = new HashSet<MethodDefinitionHandle>();
        foreach (var (type, method) in Methods(metadata))
        {
            var name = metadata.GetString(metadata.GetMethodDefinition(method).Name);
            var typeName = metadata.GetString(metadata.GetTypeDefinition(type).Name);
            if ((typeName == "Scalar" && name == "op_Implicit") || (typeName == "ScalarExtensionMethods" && name == "ToScalar"))
            {
                scalarMakers.Add(method);
            }
        }

        // A method makes a Scalar if it converts a number itself or calls a method that does (add(Tensor) passes its own
        // alpha of 1 to add(Tensor, Scalar), and the + operator calls add(Tensor)).
        var callees = Methods(metadata).ToDictionary(
            entry => entry.Method,
            entry => CallTokens(image, metadata.GetMethodDefinition(entry.Method))
                .Where(token => token.Kind == HandleKind.MethodDefinition)
                .Select(token => (MethodDefinitionHandle)token)
                .ToList());
        var making = new HashSet<MethodDefinitionHandle>();
        bool grew;
        do
        {
            grew = false;
            foreach (var (type, method) in Methods(metadata))
            {
                var typeName = metadata.GetString(metadata.GetTypeDefinition(type).Name);
                if (typeName is "Scalar" or "ScalarExtensionMethods" || making.Contains(method))
                {
                    continue;
                }

                if (callees[method].Any(callee => scalarMakers.Contains(callee) || making.Contains(callee)))
                {
                    grew = making.Add(method);
                }
            }
        }
        while (grew);

        return making.Select(method =>
        {
            var definition = metadata.GetMethodDefinition(method);
            var typeName = metadata.GetString(metadata.GetTypeDefinition(definition.GetDeclaringType()).Name);
            var parameters = definition.DecodeSignature(new TypeNames(), null).ParameterTypes;
            return $"{typeName}.{metadata.GetString(definition.Name)}({string.Join(',', parameters)})";
        }).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Every call from <paramref name="assemblyPath"/>'s methods to a method of <paramref name="targetAssembly"/>.</summary>
    private static List<Call> CallsInto(string assemblyPath, string targetAssembly)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var image = new PEReader(stream);
        var metadata = image.GetMetadataReader();
        var calls = new List<Call>();
        foreach (var (type, method) in Methods(metadata))
        {
            var definition = metadata.GetMethodDefinition(method);
            var caller = $"{metadata.GetString(metadata.GetTypeDefinition(type).Name)}.{metadata.GetString(definition.Name)}";
            foreach (var token in CallTokens(image, definition))
            {
                if (token.Kind != HandleKind.MemberReference)
                {
                    continue;
                }

                var member = metadata.GetMemberReference((MemberReferenceHandle)token);
                if (member.Parent.Kind != HandleKind.TypeReference || member.GetKind() != MemberReferenceKind.Method)
                {
                    continue;
                }

                var parent = metadata.GetTypeReference((TypeReferenceHandle)member.Parent);
                if (OutermostScope(metadata, parent) != targetAssembly)
                {
                    continue;
                }

                var callee = $"{metadata.GetString(parent.Name)}.{metadata.GetString(member.Name)}";
                var parameters = member.DecodeMethodSignature(new TypeNames(), null).ParameterTypes;
                calls.Add(new Call(caller, callee, $"{callee}({string.Join(',', parameters)})"));
            }
        }

        return calls;
    }

    private static string? OutermostScope(MetadataReader metadata, TypeReference type)
    {
        while (type.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            type = metadata.GetTypeReference((TypeReferenceHandle)type.ResolutionScope);
        }

        return type.ResolutionScope.Kind == HandleKind.AssemblyReference
            ? metadata.GetString(metadata.GetAssemblyReference((AssemblyReferenceHandle)type.ResolutionScope).Name)
            : null;
    }

    private static IEnumerable<(TypeDefinitionHandle Type, MethodDefinitionHandle Method)> Methods(MetadataReader metadata) =>
        metadata.TypeDefinitions.SelectMany(type => metadata.GetTypeDefinition(type).GetMethods().Select(method => (type, method)));

    /// <summary>The tokens of every call, callvirt and newobj in a method body.</summary>
    private static List<EntityHandle> CallTokens(PEReader image, MethodDefinition method)
    {
        var tokens = new List<EntityHandle>();
        if (method.RelativeVirtualAddress == 0)
        {
            return tokens;
        }

        var il = image.GetMethodBody(method.RelativeVirtualAddress).GetILReader();
        while (il.RemainingBytes > 0)
        {
            var first = il.ReadByte();
            var opCode = first == 0xFE ? (ILOpCode)(0xFE00 | il.ReadByte()) : (ILOpCode)first;
            var token = SkipOperand(ref il, opCode);
            if (token is { } value && opCode is ILOpCode.Call or ILOpCode.Callvirt or ILOpCode.Newobj)
            {
                tokens.Add(MetadataTokens.EntityHandle(value));
            }
        }

        return tokens;
    }

    /// <summary>Reads past an instruction's operand; returns it when it is a metadata token.</summary>
    private static int? SkipOperand(ref BlobReader il, ILOpCode opCode)
    {
        switch (opCode)
        {
            case ILOpCode.Switch:
                var targets = il.ReadInt32();
                for (var i = 0; i < targets; i++)
                {
                    il.ReadInt32();
                }

                return null;
            case ILOpCode.Ldc_i8 or ILOpCode.Ldc_r8:
                il.ReadInt64();
                return null;
            case ILOpCode.Ldc_i4 or ILOpCode.Ldc_r4 or ILOpCode.Br or ILOpCode.Brfalse or ILOpCode.Brtrue or ILOpCode.Beq or ILOpCode.Bge
                or ILOpCode.Bgt or ILOpCode.Ble or ILOpCode.Blt or ILOpCode.Bne_un or ILOpCode.Bge_un or ILOpCode.Bgt_un or ILOpCode.Ble_un
                or ILOpCode.Blt_un or ILOpCode.Leave:
                il.ReadInt32();
                return null;
            case ILOpCode.Ldarg or ILOpCode.Ldarga or ILOpCode.Starg or ILOpCode.Ldloc or ILOpCode.Ldloca or ILOpCode.Stloc:
                il.ReadInt16();
                return null;
            case ILOpCode.Br_s or ILOpCode.Brfalse_s or ILOpCode.Brtrue_s or ILOpCode.Beq_s or ILOpCode.Bge_s or ILOpCode.Bgt_s
                or ILOpCode.Ble_s or ILOpCode.Blt_s or ILOpCode.Bne_un_s or ILOpCode.Bge_un_s or ILOpCode.Bgt_un_s or ILOpCode.Ble_un_s
                or ILOpCode.Blt_un_s or ILOpCode.Leave_s or ILOpCode.Ldarg_s or ILOpCode.Ldarga_s or ILOpCode.Starg_s or ILOpCode.Ldloc_s
                or ILOpCode.Ldloca_s or ILOpCode.Stloc_s or ILOpCode.Ldc_i4_s or ILOpCode.Unaligned:
                il.ReadByte();
                return null;
            case ILOpCode.Jmp or ILOpCode.Call or ILOpCode.Calli or ILOpCode.Callvirt or ILOpCode.Cpobj or ILOpCode.Ldobj or ILOpCode.Ldstr
                or ILOpCode.Newobj or ILOpCode.Castclass or ILOpCode.Isinst or ILOpCode.Unbox or ILOpCode.Ldfld or ILOpCode.Ldflda
                or ILOpCode.Stfld or ILOpCode.Ldsfld or ILOpCode.Ldsflda or ILOpCode.Stsfld or ILOpCode.Stobj or ILOpCode.Box
                or ILOpCode.Newarr or ILOpCode.Ldelema or ILOpCode.Ldelem or ILOpCode.Stelem or ILOpCode.Unbox_any or ILOpCode.Refanyval
                or ILOpCode.Mkrefany or ILOpCode.Ldtoken or ILOpCode.Ldftn or ILOpCode.Ldvirtftn or ILOpCode.Initobj or ILOpCode.Constrained
                or ILOpCode.Sizeof:
                return il.ReadInt32();
            default:
                return null;
        }
    }

    private sealed record Call(string Caller, string Callee, string CalleeWithParameters);

    /// <summary>Type names as the scan prints them: the simple name, with [] for arrays.</summary>
    private sealed class TypeNames : ISignatureTypeProvider<string, object?>
    {
        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[,]";

        public string GetByReferenceType(string elementType) => "ref " + elementType;

        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";

        public string GetGenericInstantiation(string genericType, System.Collections.Immutable.ImmutableArray<string> typeArguments) =>
            $"{genericType}<{string.Join(',', typeArguments)}>";

        public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;

        public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;

        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

        public string GetPinnedType(string elementType) => elementType;

        public string GetPointerType(string elementType) => elementType + "*";

        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) =>
            reader.GetString(reader.GetTypeDefinition(handle).Name);

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) =>
            reader.GetString(reader.GetTypeReference(handle).Name);

        public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            "spec";
    }
}
