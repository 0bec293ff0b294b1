using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Tests.Data;

internal static class LoraAssert
{
    /// <summary>Asserts that the action throws a <see cref="LoraException"/> with this code and location.</summary>
    public static LoraException Throws(string code, string? location, Action action)
    {
        var exception = Assert.Throws<LoraException>(action);
        Assert.Equal(code, exception.Code);
        Assert.Equal(location, exception.Location);
        return exception;
    }
}
