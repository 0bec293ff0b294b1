using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Jinja;

namespace LoraBuild.Core.Tests.Jinja;

public class ChatTemplateRendererTests
{
    private const string ChatMl =
        "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";

    private static readonly ChatMessage[] _conversation = [new("system", "Be brief."), new("user", "Hi")];

    [Fact]
    public void RendersMessagesAndGenerationPrompt()
    {
        Assert.Equal(
            "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
            ChatTemplateRenderer.Render(ChatMl, _conversation, addGenerationPrompt: true, bosToken: null, eosToken: "<|im_end|>"));
        Assert.EndsWith("Hi<|im_end|>\n", ChatTemplateRenderer.Render(ChatMl, _conversation, false, null, null), StringComparison.Ordinal);
    }

    [Fact]
    public void PassesTokensToolsDocumentsAndExtraVariables()
    {
        const string template = "{{ bos_token }}|{{ eos_token }}|{{ tools is none }}|{{ documents is none }}|{{ enable_thinking }}|{{ pad_token is defined }}";
        string rendered = ChatTemplateRenderer.Render(template, _conversation, false, "<s>", "</s>",
            new Dictionary<string, object?> { ["enable_thinking"] = false });
        Assert.Equal("<s>|</s>|True|True|False|False", rendered);
    }

    [Fact]
    public void MissingTokensAreUndefined() =>
        Assert.Equal("[]", ChatTemplateRenderer.Render("[{{ bos_token }}]", _conversation, false, null, null));

    [Fact]
    public void ExtraMessageFieldsReachTheTemplate()
    {
        var call = new Dictionary<string, object?>
        {
            ["function"] = new Dictionary<string, object?> { ["name"] = "f", ["arguments"] = new Dictionary<string, object?> { ["x"] = 1 } },
        };
        var message = new ChatMessage("assistant", "") { Fields = new Dictionary<string, object?> { ["tool_calls"] = new[] { call } } };
        const string template = "{% for c in messages[0].tool_calls %}{{ c.function.name }}{{ c.function.arguments | tojson }}{% endfor %}";
        Assert.Equal("f{\"x\": 1}", ChatTemplateRenderer.Render(template, [message], false, null, null));
    }

    [Fact]
    public void ContentPartsReplaceTheContentString()
    {
        var parts = new ChatMessage("user", null)
        {
            Fields = new Dictionary<string, object?> { ["content"] = new[] { new Dictionary<string, object?> { ["type"] = "text", ["text"] = "hi" } } },
        };
        Assert.Equal("True hi", ChatTemplateRenderer.Render("{{ messages[0].content is iterable }} {{ messages[0].content[0].text }}", [parts], false, null, null));
    }

    [Fact]
    public void RaiseExceptionCarriesTheTemplatesMessage()
    {
        const string template = "{% if messages[0].role != 'user' %}{{ raise_exception('Conversation must start with a user turn') }}{% endif %}";
        var error = Assert.Throws<LoraException>(() => ChatTemplateRenderer.Render(template, _conversation, false, null, null));
        Assert.Equal(JinjaErrorCodes.TemplateRaised, error.Code);
        Assert.Equal("LORA1181", error.Code);
        Assert.Equal("Conversation must start with a user turn", error.Message);
        Assert.Equal("chat_template:1:39", error.Location);
    }

    [Fact]
    public void StrftimeNowUsesTheGivenClock()
    {
        var time = new FixedTime(new DateTimeOffset(2026, 3, 7, 14, 5, 9, TimeSpan.Zero));
        string rendered = ChatTemplateRenderer.Render(
            "{{ strftime_now('%d %b %Y') }}|{{ strftime_now('%-d %B %y %H:%M:%S %I%p %A %a %j %m') }}", _conversation, false, null, null, time: time);
        Assert.Equal("07 Mar 2026|7 March 26 14:05:09 02PM Saturday Sat 066 03", rendered);
    }

    [Fact]
    public void AParsedTemplateRendersManyConversations()
    {
        var template = JinjaTemplate.Parse(ChatMl, "tokenizer_config.json");
        Assert.Equal("tokenizer_config.json", template.Name);
        Assert.Contains("Hi", ChatTemplateRenderer.Render(template, _conversation, false, null, null), StringComparison.Ordinal);
        Assert.Contains("Yo", ChatTemplateRenderer.Render(template, [new("user", "Yo")], false, null, null), StringComparison.Ordinal);
    }

    [Fact]
    public void UnsupportedValueTypesAreReported()
    {
        var error = Assert.Throws<LoraException>(() => JinjaTemplate.Parse("{{ x }}").Render(new Dictionary<string, object?> { ["x"] = new object() }));
        Assert.Equal(JinjaErrorCodes.TemplateValueUnsupported, error.Code);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }
}
