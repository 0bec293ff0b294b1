using System.Reflection;
using LoraBuild.Engine.Runtime;

namespace SupportTriage.App.Tests;

/// <summary>
/// The tiny base model with the SupportTriage adapter from the package, loaded once for the test class: the adapter
/// folder the package copied to lora/SupportTriage/ and the base model copied to models/tiny/ of the test output.
/// </summary>
public sealed class TriageModelFixture : IDisposable
{
    /// <summary>The instruction the adapter was trained with (examples/SupportTriage/data).</summary>
    public const string Instruction = "Classify the support ticket and extract the order number. Answer with JSON.";

    public TriageModelFixture()
    {
        var adapter = Assembly.GetExecutingAssembly()
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .Where(attribute => attribute.Key == "LoraAdapter:SupportTriage" && attribute.Value is not null)
            .Select(attribute => attribute.Value!.Split('|'))
            .SingleOrDefault();
        if (adapter is not [var outputPath, var baseModel, var fingerprint])
        {
            throw new InvalidOperationException("The SupportTriage package is not referenced: no LoraAdapterReference was built into the tests. Run `dotnet cake --target=Pack` first.");
        }

        Fingerprint = fingerprint;
        Model = AdaptedModel.Load(Path.Combine(AppContext.BaseDirectory, "models", baseModel), Path.Combine(AppContext.BaseDirectory, outputPath));
    }

    public AdaptedModel Model { get; }

    /// <summary>The adapter's fingerprint as the package states it.</summary>
    public string Fingerprint { get; }

    public void Dispose() => Model.Dispose();
}
