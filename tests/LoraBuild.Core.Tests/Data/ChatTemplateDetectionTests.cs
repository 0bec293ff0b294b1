using System.Text.Json;
using LoraBuild.Core.Data;

namespace LoraBuild.Core.Tests.Data;

public sealed class ChatTemplateDetectionTests : IDisposable
{
    // The chat_template strings as published models' tokenizer_config.json files hold them.
    private const string ChatMlJinja =
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}" +
        "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

    private const string Llama2Jinja =
        "{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}{% set system_message = messages[0]['content'] %}" +
        "{% else %}{% set loop_messages = messages %}{% set system_message = false %}{% endif %}{% for message in loop_messages %}" +
        "{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}" +
        "{% if loop.index0 == 0 and system_message != false %}{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}" +
        "{% else %}{% set content = message['content'] %}{% endif %}{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}" +
        "{% elif message['role'] == 'assistant' %}{{ ' '  + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}";

    private const string Llama3Jinja =
        "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + '<|eot_id|>' %}" +
        "{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}" +
        "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}";

    private const string ZephyrJinja =
        "{% for message in messages %}\n{% if message['role'] == 'user' %}\n{{ '<|user|>\n' + message['content'] + eos_token }}\n" +
        "{% elif message['role'] == 'system' %}\n{{ '<|system|>\n' + message['content'] + eos_token }}\n" +
        "{% elif message['role'] == 'assistant' %}\n{{ '<|assistant|>\n'  + message['content'] + eos_token }}\n{% endif %}\n" +
        "{% if loop.last and add_generation_prompt %}\n{{ '<|assistant|>' }}\n{% endif %}\n{% endfor %}";

    private const string MistralJinja =
        "{{ bos_token }}{% for message in messages %}{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}" +
        "{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token}}{% endif %}{% endfor %}";

    private const string Phi3Jinja =
        "{% for message in messages %}{% if message['role'] == 'user' %}{{'<|user|>\n' + message['content'] + '<|end|>\n'}}" +
        "{% elif message['role'] == 'assistant' %}{{'<|assistant|>\n' + message['content'] + '<|end|>\n'}}{% endif %}{% endfor %}" +
        "{% if add_generation_prompt %}{{ '<|assistant|>\n' }}{% else %}{{ eos_token }}{% endif %}";

    private const string Llama31Jinja =
        "{{- bos_token }}{%- set date_string = \"26 Jul 2024\" %}{{- \"<|start_header_id|>system<|end_header_id|>\\n\\n\" }}" +
        "{{- \"Cutting Knowledge Date: December 2023\\n\" }}{{- \"Today Date: \" + date_string + \"\\n\\n\" }}" +
        "{%- for message in messages %}{{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' }}{%- endfor %}";

    private readonly TempDataset _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData(ChatMlJinja, "chatml")]
    [InlineData(Llama2Jinja, "llama-2")]
    [InlineData(Llama3Jinja, "llama-3")]
    [InlineData(ZephyrJinja, "zephyr")]
    public void PublishedTemplatesAreRecognized(string jinja, string expected)
    {
        Assert.Equal(expected, ChatTemplates.Detect(jinja).Name);
    }

    [Fact]
    public void FormattingOfTheJinjaSourceDoesNotMatter()
    {
        var reformatted = ZephyrJinja.Replace("'", "\"", StringComparison.Ordinal).Replace(" + ", "+", StringComparison.Ordinal);

        Assert.Same(ChatTemplates.Zephyr, ChatTemplates.Detect(reformatted));
    }

    [Theory]
    [InlineData(MistralJinja)]
    [InlineData(Phi3Jinja)]
    [InlineData("{{ messages }}")]
    public void UnknownTemplateAsksTheUserToNameOne(string jinja)
    {
        var exception = LoraAssert.Throws(
            DataErrorCodes.ChatTemplateNotRecognized, "model/tokenizer_config.json", () => ChatTemplates.Detect(jinja, "model/tokenizer_config.json"));
        Assert.Contains("Name a chat template explicitly: chatml, llama-2, llama-3, zephyr", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Llama31IsNotPassedOffAsLlama3()
    {
        var exception = LoraAssert.Throws(DataErrorCodes.ChatTemplateNotRecognized, null, () => ChatTemplates.Detect(Llama31Jinja));
        Assert.Contains("Llama 3.1", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TemplateWithMarkersOfTwoFamiliesIsAmbiguous()
    {
        var exception = LoraAssert.Throws(DataErrorCodes.ChatTemplateNotRecognized, null, () => ChatTemplates.Detect(ChatMlJinja + Llama3Jinja));
        Assert.Contains("chatml, llama-3", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TokenizerConfigStringTemplateIsDetected()
    {
        var path = WriteConfig(new Dictionary<string, object> { ["bos_token"] = "<s>", ["chat_template"] = Llama2Jinja });

        Assert.Same(ChatTemplates.Llama2, ChatTemplates.DetectFromTokenizerConfig(path));
    }

    [Fact]
    public void TokenizerConfigNamedTemplatesUseTheDefault()
    {
        var path = WriteConfig(new Dictionary<string, object>
        {
            ["chat_template"] = new object[]
            {
                new Dictionary<string, string> { ["name"] = "tool_use", ["template"] = Llama3Jinja },
                new Dictionary<string, string> { ["name"] = "default", ["template"] = ChatMlJinja },
            },
        });

        Assert.Same(ChatTemplates.ChatMl, ChatTemplates.DetectFromTokenizerConfig(path));
    }

    [Fact]
    public void ChatTemplateJinjaFileBesideTheConfigIsUsed()
    {
        var path = WriteConfig(new Dictionary<string, object> { ["eos_token"] = "</s>" });
        var jinjaPath = _files.Write("chat_template.jinja", ZephyrJinja);

        Assert.Same(ChatTemplates.Zephyr, ChatTemplates.DetectFromTokenizerConfig(path));
        File.WriteAllText(jinjaPath, MistralJinja);
        LoraAssert.Throws(DataErrorCodes.ChatTemplateNotRecognized, jinjaPath, () => ChatTemplates.DetectFromTokenizerConfig(path));
    }

    [Fact]
    public void TokenizerConfigWithoutTemplateAsksTheUserToNameOne()
    {
        var path = WriteConfig(new Dictionary<string, object> { ["eos_token"] = "</s>" });

        var exception = LoraAssert.Throws(DataErrorCodes.TokenizerConfigChatTemplateMissing, path, () => ChatTemplates.DetectFromTokenizerConfig(path));
        Assert.Contains("chatml, llama-2, llama-3, zephyr", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnreadableTokenizerConfigIsReported()
    {
        var malformed = _files.Write("tokenizer_config.json", "{\"chat_template\": ");
        var missing = _files.PathOf("absent/tokenizer_config.json");

        LoraAssert.Throws(DataErrorCodes.TokenizerConfigChatTemplateMissing, malformed, () => ChatTemplates.DetectFromTokenizerConfig(malformed));
        LoraAssert.Throws(DataErrorCodes.TokenizerConfigChatTemplateMissing, missing, () => ChatTemplates.DetectFromTokenizerConfig(missing));
    }

    [Fact]
    public void UnrecognizedTemplateInConfigNamesTheConfig()
    {
        var path = WriteConfig(new Dictionary<string, object> { ["chat_template"] = Phi3Jinja });

        LoraAssert.Throws(DataErrorCodes.ChatTemplateNotRecognized, path, () => ChatTemplates.DetectFromTokenizerConfig(path));
    }

    private string WriteConfig(Dictionary<string, object> config) =>
        _files.Write("tokenizer_config.json", JsonSerializer.Serialize(config));
}
