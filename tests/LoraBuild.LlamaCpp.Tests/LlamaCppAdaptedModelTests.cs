using LoraBuild.Core.Adapters;
using AlpacaTemplate = LoraBuild.Core.Data.AlpacaTemplate;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Engine.Checkpoints;
using LoraBuild.Engine.Export;
using LoraBuild.Engine.Lora;
using LoraBuild.Engine.Runtime;
using Microsoft.Extensions.AI;
using static TorchSharp.torch;

namespace LoraBuild.LlamaCpp.Tests;

/// <summary>
/// The tiny example model with a random adapter, exported to GGUF: the llama.cpp runtime must answer exactly what the
/// engine's <see cref="AdaptedModel"/> answers, through <see cref="LlamaCppAdaptedModel.Answer"/> and through its
/// <see cref="IChatClient"/>.
/// </summary>
public sealed class LlamaCppAdaptedModelTests : IDisposable
{
    private const string Instruction = "Classify the support ticket and extract the order number. Answer with JSON.";

    private static readonly string[] s_tickets =
    [
        "Hello, order 29053 came today but the headphones is damaged. Thanks.",
        "Hi, I was charged twice for order 84245. Please fix the bill.",
        "Where is my kettle? Order 51234 is a week late.",
    ];

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "lorabuild-llamacpp-" + Guid.NewGuid().ToString("N"));
    private readonly string _adapter;

    public LlamaCppAdaptedModelTests()
    {
        _adapter = Path.Combine(_folder, "adapter");
        using (var loaded = PretrainedModel.Load(TinyModel))
        using (var init = new Generator(5, CPU))
        using (var values = new Generator(6, CPU))
        {
            var settings = new LoraSettings { Rank = 8, Alpha = 16, Targets = AdapterTargets.ParseSpec("all-linear") };
            var adapter = LoraInjector.Apply(loaded.Model, settings, init, dropoutGenerator: null);
            using (no_grad())
            {
                foreach (var entry in adapter.Layers)
                {
                    entry.Layer.LoraB.weight.normal_(0, 0.05, values);
                }
            }

            AdapterFiles.Save(_adapter, adapter, TinyModel);
        }

        GgufExport.Run(_adapter, TinyModel, _adapter, modelType: null);
    }

    private static string TinyModel { get; } = FindTinyModel();

    [Fact]
    public void AnswersAreTheEnginesAnswers()
    {
        using var engine = AdaptedModel.Load(TinyModel, _adapter);
        using var gguf = LlamaCppAdaptedModel.Load(Path.Combine(_adapter, GgufExport.ModelFileName), Path.Combine(_adapter, GgufExport.AdapterFileName), "alpaca");

        foreach (var ticket in s_tickets)
        {
            var expected = engine.Answer(Instruction, ticket, engine.DefaultSampling with { MaxNewTokens = 24 });
            Assert.Equal(expected, gguf.Answer(Instruction, ticket, maxNewTokens: 24));
        }
    }

    [Fact]
    public async Task TheChatClientAnswersTheSameAsAnswer()
    {
        using var gguf = LlamaCppAdaptedModel.Load(Path.Combine(_adapter, GgufExport.ModelFileName), Path.Combine(_adapter, GgufExport.AdapterFileName), "alpaca");
        var direct = gguf.Answer(Instruction, s_tickets[0], maxNewTokens: 16);

        var response = await gguf.ChatClient.GetResponseAsync(
            [new ChatMessage(ChatRole.System, Instruction), new ChatMessage(ChatRole.User, s_tickets[0])],
            new ChatOptions { MaxOutputTokens = 16 });
        var streamed = string.Concat(await gguf.ChatClient.GetStreamingResponseAsync(
            [new ChatMessage(ChatRole.System, Instruction), new ChatMessage(ChatRole.User, s_tickets[0])],
            new ChatOptions { MaxOutputTokens = 16 }).Select(update => update.Text).ToListAsync());

        Assert.Equal(direct, response.Text);
        Assert.Equal(direct, streamed);
    }

    [Fact]
    public void MissingFilesGiveTheirCode()
    {
        var failure = Assert.Throws<LoraException>(() => LlamaCppAdaptedModel.Load(Path.Combine(_folder, "none.gguf"), Path.Combine(_adapter, GgufExport.AdapterFileName), null));

        Assert.Equal(LlamaCppErrorCodes.GgufNotFound, failure.Code);
        Assert.EndsWith("none.gguf", failure.Location, StringComparison.Ordinal);
    }

    [Fact]
    public void AModelGivenAsTheAdapterIsRefusedWithACode()
    {
        var model = Path.Combine(_adapter, GgufExport.ModelFileName);

        var failure = Assert.Throws<LoraException>(() => LlamaCppAdaptedModel.Load(model, model, null));

        Assert.Equal(LlamaCppErrorCodes.LoadFailed, failure.Code);
    }

    [Fact]
    public void AnAdapterFolderIsLoadedWithItsPromptFormatFromItsManifestOrPlainWithout()
    {
        using var gguf = LlamaCppAdaptedModel.LoadAdapterFolder(_adapter);

        Assert.Null(gguf.PromptFormat);
        Assert.Equal(AlpacaTemplate.Prompt("x", "y"), new AlpacaHistoryTransform().HistoryToText(History("x", "y")));
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static LLama.Common.ChatHistory History(string system, string user)
    {
        var history = new LLama.Common.ChatHistory();
        history.AddMessage(LLama.Common.AuthorRole.System, system);
        history.AddMessage(LLama.Common.AuthorRole.User, user);
        return history;
    }

    private static string FindTinyModel()
    {
        for (var folder = AppContext.BaseDirectory; folder is not null; folder = Path.GetDirectoryName(folder))
        {
            if (File.Exists(Path.Combine(folder, "LoraBuild.sln")))
            {
                return Path.Combine(folder, "examples", "models", "tiny");
            }
        }

        throw new InvalidOperationException("No LoraBuild.sln above the test binaries.");
    }
}
