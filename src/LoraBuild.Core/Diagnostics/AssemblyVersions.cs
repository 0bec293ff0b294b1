using System.Reflection;

namespace LoraBuild.Core.Diagnostics;

/// <summary>The version an assembly declares for people: its informational version without the source-revision suffix.</summary>
public static class AssemblyVersions
{
    public static string Informational(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
            ?? assembly.GetName().Version?.ToString(3)
            ?? "unknown";
    }
}
