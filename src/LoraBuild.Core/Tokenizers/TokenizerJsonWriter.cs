using System.Text;
using System.Text.Json;

namespace LoraBuild.Core.Tokenizers;

/// <summary>Writes a byte-level BPE vocabulary as a Hugging Face <c>tokenizer.json</c> (GPT-2 style), byte for byte the same each time.</summary>
public static class TokenizerJsonWriter
{
    public static string Write(BpeVocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("version", "1.0");
            json.WriteNull("truncation");
            json.WriteNull("padding");
            json.WriteStartArray("added_tokens");
            foreach (var special in vocabulary.SpecialTokens)
            {
                json.WriteStartObject();
                json.WriteNumber("id", vocabulary.IdOf(special));
                json.WriteString("content", special);
                json.WriteBoolean("single_word", false);
                json.WriteBoolean("lstrip", false);
                json.WriteBoolean("rstrip", false);
                json.WriteBoolean("normalized", false);
                json.WriteBoolean("special", true);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteNull("normalizer");
            if (vocabulary.SplitDigits)
            {
                json.WriteStartObject("pre_tokenizer");
                json.WriteString("type", "Sequence");
                json.WriteStartArray("pretokenizers");
                json.WriteStartObject();
                json.WriteString("type", "Digits");
                json.WriteBoolean("individual_digits", true);
                json.WriteEndObject();
                WriteByteLevel(json, null, withRegex: true);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            else
            {
                WriteByteLevel(json, "pre_tokenizer", withRegex: true);
            }

            WriteByteLevel(json, "post_processor", withRegex: true);
            WriteByteLevel(json, "decoder", withRegex: true);
            json.WriteStartObject("model");
            json.WriteString("type", "BPE");
            json.WriteNull("dropout");
            json.WriteNull("unk_token");
            json.WriteNull("continuing_subword_prefix");
            json.WriteNull("end_of_word_suffix");
            json.WriteBoolean("fuse_unk", false);
            json.WriteBoolean("byte_fallback", false);
            json.WriteBoolean("ignore_merges", false);
            json.WriteStartObject("vocab");
            for (var id = 0; id < vocabulary.Tokens.Count; id++)
            {
                if (!vocabulary.SpecialTokens.Contains(vocabulary.Tokens[id]))
                {
                    json.WriteNumber(vocabulary.Tokens[id], id);
                }
            }

            json.WriteEndObject();
            json.WriteStartArray("merges");
            foreach (var (left, right) in vocabulary.Merges)
            {
                json.WriteStringValue(left + " " + right);
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteByteLevel(Utf8JsonWriter json, string? name, bool withRegex)
    {
        if (name is null)
        {
            json.WriteStartObject();
        }
        else
        {
            json.WriteStartObject(name);
        }

        json.WriteString("type", "ByteLevel");
        json.WriteBoolean("add_prefix_space", false);
        json.WriteBoolean("trim_offsets", true);
        json.WriteBoolean("use_regex", withRegex);
        json.WriteEndObject();
    }
}
