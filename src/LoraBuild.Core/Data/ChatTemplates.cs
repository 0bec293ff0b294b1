using System.Text;
using System.Text.Json;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Data;

/// <summary>The chat templates LoraBuild implements, found by name or recognized in a Hugging Face <c>chat_template</c>.</summary>
public static class ChatTemplates
{
    /// <summary>ChatML (<c>chatml</c>).</summary>
    public static ChatTemplate ChatMl { get; } = new ChatMlTemplate();

    /// <summary>Llama 2 chat (<c>llama-2</c>).</summary>
    public static ChatTemplate Llama2 { get; } = new Llama2ChatTemplate();

    /// <summary>Llama 3 Instruct (<c>llama-3</c>).</summary>
    public static ChatTemplate Llama3 { get; } = new Llama3ChatTemplate();

    /// <summary>Zephyr (<c>zephyr</c>).</summary>
    public static ChatTemplate Zephyr { get; } = new ZephyrChatTemplate();

    /// <summary>Every template, in the order their names are listed to users.</summary>
    public static IReadOnlyList<ChatTemplate> All { get; } = [ChatMl, Llama2, Llama3, Zephyr];

    private static string NameList => string.Join(", ", All.Select(template => template.Name));

    /// <summary>The template with this name, ignoring case.</summary>
    /// <exception cref="LoraException"><see cref="DataErrorCodes.UnknownChatTemplate"/>.</exception>
    public static ChatTemplate FromName(string name, string? location = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.FirstOrDefault(template => template.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new LoraException(
                DataErrorCodes.UnknownChatTemplate,
                $"Unknown chat template \"{name}\"; use one of: {NameList}.",
                location);
    }

    /// <summary>
    /// Recognizes which implemented template a Hugging Face Jinja <c>chat_template</c> is, by the markers only that
    /// template writes (whitespace and quoting in the Jinja source do not matter).
    /// </summary>
    /// <param name="jinja">The template source.</param>
    /// <param name="location">Where the template came from, reported on error.</param>
    /// <exception cref="LoraException"><see cref="DataErrorCodes.ChatTemplateNotRecognized"/> when no template, or more than one, matches.</exception>
    public static ChatTemplate Detect(string jinja, string? location = null)
    {
        ArgumentNullException.ThrowIfNull(jinja);
        var source = Normalize(jinja);
        if (source.Contains("CuttingKnowledgeDate", StringComparison.Ordinal))
        {
            throw NotRecognized(
                location,
                "It looks like Llama 3.1 or later, whose template adds a dated system preamble LoraBuild does not render. " +
                "Name the llama-3 template to train in the Llama 3 format anyway.");
        }

        var matches = new List<ChatTemplate>();
        if (source.Contains("<|im_start|>", StringComparison.Ordinal) && source.Contains("<|im_end|>", StringComparison.Ordinal))
        {
            matches.Add(ChatMl);
        }

        if (source.Contains("[INST]", StringComparison.Ordinal) && source.Contains("<<SYS>>", StringComparison.Ordinal))
        {
            matches.Add(Llama2);
        }

        if (source.Contains("<|start_header_id|>", StringComparison.Ordinal) && source.Contains("<|eot_id|>", StringComparison.Ordinal))
        {
            matches.Add(Llama3);
        }

        if (source.Contains("'<|user|>'+message['content']+eos_token", StringComparison.Ordinal)
            && source.Contains("'<|assistant|>'+message['content']+eos_token", StringComparison.Ordinal))
        {
            matches.Add(Zephyr);
        }

        return matches.Count switch
        {
            1 => matches[0],
            0 => throw NotRecognized(location, "It matches none of the templates LoraBuild implements."),
            _ => throw NotRecognized(location, $"It has markers of more than one template ({string.Join(", ", matches)})."),
        };
    }

    /// <summary>
    /// Recognizes the chat template of a Hugging Face tokenizer from its <c>tokenizer_config.json</c>: the
    /// <c>chat_template</c> string, the entry named <c>default</c> when it is a list of named templates, or else a
    /// <c>chat_template.jinja</c> file beside it (where newer <c>transformers</c> versions save it).
    /// </summary>
    /// <exception cref="LoraException">
    /// <see cref="DataErrorCodes.TokenizerConfigChatTemplateMissing"/> or <see cref="DataErrorCodes.ChatTemplateNotRecognized"/>.
    /// </exception>
    public static ChatTemplate DetectFromTokenizerConfig(string tokenizerConfigPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenizerConfigPath);
        var jinja = ReadChatTemplate(tokenizerConfigPath, out var location);
        return Detect(jinja, location);
    }

    /// <summary>
    /// The model's own chat template from its <c>tokenizer_config.json</c> (as <see cref="DetectFromTokenizerConfig"/>
    /// finds it), rendered by LoraBuild's Jinja interpreter as transformers renders it.
    /// </summary>
    /// <param name="tokenizerConfigPath">The tokenizer configuration.</param>
    /// <param name="bosToken">The bos token's text, which templates write as <c>bos_token</c>.</param>
    /// <param name="eosToken">The eos token's text.</param>
    /// <exception cref="LoraException">
    /// <see cref="DataErrorCodes.TokenizerConfigChatTemplateMissing"/>, or a LORA118x error when the template does not parse.
    /// </exception>
    public static ChatTemplate FromTokenizerConfig(string tokenizerConfigPath, string? bosToken, string? eosToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenizerConfigPath);
        var jinja = ReadChatTemplate(tokenizerConfigPath, out var location);
        return new JinjaChatTemplate(jinja, bosToken, eosToken, location);
    }

    private static string ReadChatTemplate(string tokenizerConfigPath, out string location)
    {
        location = tokenizerConfigPath;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(tokenizerConfigPath));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new LoraException(
                DataErrorCodes.TokenizerConfigChatTemplateMissing,
                $"Cannot read the tokenizer configuration: {exception.Message}",
                tokenizerConfigPath,
                exception);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("chat_template", out var template))
            {
                if (template.ValueKind == JsonValueKind.String)
                {
                    return template.GetString()!;
                }

                if (template.ValueKind == JsonValueKind.Array && DefaultOfNamedTemplates(template) is { } named)
                {
                    return named;
                }
            }
        }

        var jinjaPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(tokenizerConfigPath))!, "chat_template.jinja");
        if (File.Exists(jinjaPath))
        {
            location = jinjaPath;
            try
            {
                return File.ReadAllText(jinjaPath, Encoding.UTF8);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new LoraException(
                    DataErrorCodes.TokenizerConfigChatTemplateMissing, $"Cannot read the chat template: {exception.Message}", jinjaPath, exception);
            }
        }

        throw new LoraException(
            DataErrorCodes.TokenizerConfigChatTemplateMissing,
            $"The tokenizer configuration has no usable \"chat_template\" (nor a chat_template.jinja beside it); name a chat template: {NameList}.",
            tokenizerConfigPath);
    }

    private static string? DefaultOfNamedTemplates(JsonElement templates)
    {
        string? only = null;
        var count = 0;
        foreach (var entry in templates.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object
                || !entry.TryGetProperty("template", out var template)
                || template.ValueKind != JsonValueKind.String)
            {
                continue;
            }

            count++;
            only = template.GetString();
            if (entry.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String && name.GetString() == "default")
            {
                return only;
            }
        }

        return count == 1 ? only : null;
    }

    private static LoraException NotRecognized(string? location, string why) =>
        new(
            DataErrorCodes.ChatTemplateNotRecognized,
            $"The tokenizer's chat template is not one LoraBuild recognizes. {why} Name a chat template explicitly: {NameList}.",
            location);

    // Drops whitespace and Jinja "\n" escapes and unifies quotes, so formatting differences between copies of the
    // same template do not matter.
    private static string Normalize(string jinja)
    {
        var builder = new StringBuilder(jinja.Length);
        for (var i = 0; i < jinja.Length; i++)
        {
            var c = jinja[i];
            if (char.IsWhiteSpace(c))
            {
                continue;
            }

            if (c == '\\' && i + 1 < jinja.Length && jinja[i + 1] == 'n')
            {
                i++;
                continue;
            }

            builder.Append(c == '"' ? '\'' : c);
        }

        return builder.ToString();
    }
}
