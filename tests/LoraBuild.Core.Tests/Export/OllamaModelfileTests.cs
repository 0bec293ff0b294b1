using LoraBuild.Core.Data;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Export;

namespace LoraBuild.Core.Tests.Export;

public class OllamaModelfileTests
{
    private const string If = "{{ if .System }}";
    private const string Else = "{{ else }}";
    private const string End = "{{ end }}";
    private const string Response = "{{ .Response }}";

    [Fact]
    public void NamesTheModelAndTheAdapter()
    {
        var lines = Lines(OllamaModelfile.Render("./model.gguf", "./adapter.gguf", null));

        Assert.StartsWith("# ", lines[0], StringComparison.Ordinal);
        Assert.Equal("FROM ./model.gguf", lines[1]);
        Assert.Equal("ADAPTER ./adapter.gguf", lines[2]);
        Assert.Equal("PARAMETER temperature 0", lines[^1]);
        Assert.Single(lines, line => line.StartsWith("FROM ", StringComparison.Ordinal));
    }

    [Fact]
    public void AModelAloneHasNoAdapterLine()
    {
        var text = OllamaModelfile.Render("./model.gguf", null, null);

        Assert.DoesNotContain("ADAPTER", text, StringComparison.Ordinal);
        Assert.Contains("\nFROM ./model.gguf\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void NoPromptFormatPassesThePromptThrough()
    {
        var text = OllamaModelfile.Render("./model.gguf", "./adapter.gguf", null);

        Assert.Equal("{{ .Prompt }}", Template(text));
        Assert.DoesNotContain("PARAMETER stop", text, StringComparison.Ordinal);
        Assert.EndsWith("\nPARAMETER temperature 0\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("alpaca")]
    [InlineData("Alpaca")]
    public void AlpacaWithSystemIsTheTrainedPromptWithInput(string format)
    {
        var template = Template(OllamaModelfile.Render("./model.gguf", "./adapter.gguf", format));

        var rendered = RenderPrompt(template, system: "Classify the ticket.", prompt: "My kettle arrived broken.");

        Assert.Equal(AlpacaTemplate.Prompt("Classify the ticket.", "My kettle arrived broken."), rendered);
        Assert.EndsWith(Response, template, StringComparison.Ordinal);
    }

    [Fact]
    public void AlpacaWithoutSystemIsTheTrainedPromptWithoutInput()
    {
        var template = Template(OllamaModelfile.Render("./model.gguf", "./adapter.gguf", "alpaca"));

        var rendered = RenderPrompt(template, system: null, prompt: "Name three colours.");

        Assert.Equal(AlpacaTemplate.Prompt("Name three colours.", string.Empty), rendered);
    }

    [Fact]
    public void AlpacaHasNoStops()
    {
        var text = OllamaModelfile.Render("./model.gguf", "./adapter.gguf", "alpaca");

        Assert.DoesNotContain("PARAMETER stop", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ChatMlIsTheTrainedPromptAndStopsAtTurnMarkers()
    {
        var text = OllamaModelfile.Render("./model.gguf", "./adapter.gguf", "chatml");
        var template = Template(text);

        Assert.Equal(ChatTemplates.ChatMl.RenderPrompt(Conversation("Be brief.", "Hi")), RenderPrompt(template, "Be brief.", "Hi"));
        Assert.Equal(ChatTemplates.ChatMl.RenderPrompt(Conversation(null, "Hi")), RenderPrompt(template, null, "Hi"));
        Assert.Equal(["<|im_end|>", "<|im_start|>"], Stops(text));
    }

    [Fact]
    public void Llama3IsTheTrainedPromptAfterBosAndStopsAtTurnMarkers()
    {
        var text = OllamaModelfile.Render("./model.gguf", "./adapter.gguf", "llama-3");
        var template = Template(text);

        // llama.cpp adds <|begin_of_text|> itself (add_bos_token), so the template leaves it out.
        Assert.Equal(ChatTemplates.Llama3.RenderPrompt(Conversation("Be brief.", "Hi")), "<|begin_of_text|>" + RenderPrompt(template, "Be brief.", "Hi"));
        Assert.Equal(ChatTemplates.Llama3.RenderPrompt(Conversation(null, "Hi")), "<|begin_of_text|>" + RenderPrompt(template, null, "Hi"));
        Assert.Equal(["<|eot_id|>", "<|start_header_id|>"], Stops(text));
    }

    [Fact]
    public void ZephyrIsTheTrainedPrompt()
    {
        var text = OllamaModelfile.Render("./model.gguf", "./adapter.gguf", "zephyr");
        var template = Template(text);

        Assert.Equal(ChatTemplates.Zephyr.RenderPrompt(Conversation("Be brief.", "Hi")), RenderPrompt(template, "Be brief.", "Hi"));
        Assert.Equal(ChatTemplates.Zephyr.RenderPrompt(Conversation(null, "Hi")), RenderPrompt(template, null, "Hi"));
        Assert.Equal(["</s>", "<|user|>"], Stops(text));
    }

    [Fact]
    public void Llama2StopsAtInstructionMarkers()
    {
        var text = OllamaModelfile.Render("./model.gguf", "./adapter.gguf", "LLAMA-2");

        Assert.Equal(["[INST]", "[/INST]"], Stops(text));
        Assert.StartsWith("[INST] " + If + "<<SYS>>\n{{ .System }}\n<</SYS>>\n\n" + End + "{{ .Prompt }} [/INST]", Template(text), StringComparison.Ordinal);
    }

    [Fact]
    public void Llama2IsTheTrainedPromptAfterBos()
    {
        var template = Template(OllamaModelfile.Render("./model.gguf", "./adapter.gguf", "llama-2"));

        Assert.Equal(ChatTemplates.Llama2.RenderPrompt(Conversation("Be brief.", "Hi")), "<s>" + RenderPrompt(template, "Be brief.", "Hi"));
    }

    [Fact]
    public void AnUnknownFormatIsAnUnknownChatTemplate()
    {
        var exception = Assert.Throws<LoraException>(() => OllamaModelfile.Render("./model.gguf", null, "vicuna"));

        Assert.Equal(DataErrorCodes.UnknownChatTemplate, exception.Code);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The text between <c>TEMPLATE """</c> and the closing <c>"""</c>.</summary>
    private static string Template(string modelfile)
    {
        const string Open = "TEMPLATE \"\"\"";
        var start = modelfile.IndexOf(Open, StringComparison.Ordinal);
        Assert.True(start >= 0, "The Modelfile has no TEMPLATE.");
        start += Open.Length;
        var end = modelfile.IndexOf("\"\"\"\n", start, StringComparison.Ordinal);
        return modelfile[start..end];
    }

    private static List<string> Stops(string modelfile) =>
        [.. Lines(modelfile).Where(line => line.StartsWith("PARAMETER stop ", StringComparison.Ordinal)).Select(line => line["PARAMETER stop ".Length..].Trim('"'))];

    /// <summary>
    /// Renders what Ollama sends the model for a first turn: the template up to <c>{{ .Response }}</c>, with its one
    /// <c>{{ if .System }}…{{ else }}…{{ end }}</c> resolved and <c>.System</c> and <c>.Prompt</c> substituted.
    /// </summary>
    private static string RenderPrompt(string template, string? system, string prompt)
    {
        var text = template[..template.IndexOf(Response, StringComparison.Ordinal)];
        var start = text.IndexOf(If, StringComparison.Ordinal);
        if (start >= 0)
        {
            var end = text.IndexOf(End, start, StringComparison.Ordinal);
            var body = text[(start + If.Length)..end];
            var split = body.IndexOf(Else, StringComparison.Ordinal);
            var (then, otherwise) = split < 0 ? (body, string.Empty) : (body[..split], body[(split + Else.Length)..]);
            text = text[..start] + (string.IsNullOrEmpty(system) ? otherwise : then) + text[(end + End.Length)..];
        }

        Assert.DoesNotContain("{{ if", text, StringComparison.Ordinal);
        return text.Replace("{{ .System }}", system, StringComparison.Ordinal).Replace("{{ .Prompt }}", prompt, StringComparison.Ordinal);
    }

    private static List<ChatMessage> Conversation(string? system, string user) =>
        system is null ? [new(ChatRole.User, user)] : [new(ChatRole.System, system), new(ChatRole.User, user)];
}
