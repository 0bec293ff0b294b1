using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Jinja;

namespace LoraBuild.Core.Tests.Jinja;

internal static class Jinja
{
    public static string Render(string template, params (string Name, object? Value)[] variables) =>
        JinjaTemplate.Parse(template).Render(variables.ToDictionary(v => v.Name, v => v.Value));

    public static LoraException Fails(string template, params (string Name, object? Value)[] variables) =>
        Assert.Throws<LoraException>(() => Render(template, variables));
}
