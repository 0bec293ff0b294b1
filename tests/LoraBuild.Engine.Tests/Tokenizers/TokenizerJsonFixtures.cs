using System.Text.Json.Nodes;

namespace LoraBuild.Engine.Tests.Tokenizers;

/// <summary>Small hand-made tokenizer.json files whose encodings can be worked out by hand from their merges.</summary>
internal static class TokenizerJsonFixtures
{
    /// <summary>The GPT-2 byte-to-symbol table, written out here independently of the code under test.</summary>
    public static char ByteSymbol(int b)
    {
        int shifted = 0;
        for (int candidate = 0; candidate < 256; candidate++)
        {
            bool printable = candidate is >= 33 and <= 126 or >= 161 and <= 172 or >= 174 and <= 255;
            if (candidate == b)
            {
                return printable ? (char)candidate : (char)(256 + shifted);
            }

            if (!printable)
            {
                shifted++;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(b));
    }

    // Byte-level vocabulary: ids 0..255 are the bytes themselves, then the merge results below.
    public const int The = 258;          // "Ġthe"
    public const int He = 257;           // "he"
    public const int Hello = 261;        // "hello"
    public const int SpaceWorld = 266;   // "Ġworld"
    public const int OneTwo = 267;       // "12"
    public const int ThreeFour = 268;    // "34"
    public const int EndOfText = 269;    // <|endoftext|>
    public const int ImStart = 270;      // <|im_start|>
    public const int ImEnd = 271;        // <|im_end|>

    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    /// <summary>The Llama 3 split pattern: numbers go in groups of at most three digits.</summary>
    public const string Llama3Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    private static readonly string[][] s_byteLevelMerges =
    [
        ["Ġ", "t"],     // 256 Ġt
        ["h", "e"],     // 257 he
        ["Ġt", "he"],   // 258 Ġthe
        ["l", "l"],     // 259 ll
        ["he", "ll"],   // 260 hell
        ["hell", "o"],  // 261 hello
        ["Ġ", "w"],     // 262 Ġw
        ["o", "r"],     // 263 or
        ["Ġw", "or"],   // 264 Ġwor
        ["l", "d"],     // 265 ld
        ["Ġwor", "ld"], // 266 Ġworld
        ["1", "2"],     // 267 12
        ["3", "4"],     // 268 34
    ];

    /// <summary>A GPT-2 style tokenizer.json: plain ByteLevel pre-tokenizer, or Split(regex) + ByteLevel(use_regex: false).</summary>
    public static JsonObject ByteLevel(string? splitPattern = null, bool mergesAsPairs = false)
    {
        var vocab = new JsonObject();
        for (int b = 0; b < 256; b++)
        {
            vocab[ByteSymbol(b).ToString()] = b;
        }

        var merges = new JsonArray();
        int nextId = 256;
        foreach (var pair in s_byteLevelMerges)
        {
            vocab[pair[0] + pair[1]] = nextId++;
            merges.Add(mergesAsPairs ? new JsonArray(pair[0], pair[1]) : (JsonNode)$"{pair[0]} {pair[1]}");
        }

        var byteLevel = new JsonObject
        {
            ["type"] = "ByteLevel",
            ["add_prefix_space"] = false,
            ["trim_offsets"] = true,
            ["use_regex"] = splitPattern is null,
        };
        JsonNode preTokenizer = splitPattern is null
            ? byteLevel
            : new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject
                    {
                        ["type"] = "Split",
                        ["pattern"] = new JsonObject { ["Regex"] = splitPattern },
                        ["behavior"] = "Isolated",
                        ["invert"] = false,
                    },
                    byteLevel),
            };

        return new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = new JsonArray(
                Added(EndOfText, "<|endoftext|>"),
                Added(ImStart, "<|im_start|>"),
                Added(ImEnd, "<|im_end|>")),
            ["normalizer"] = null,
            ["pre_tokenizer"] = preTokenizer,
            ["post_processor"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = true },
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = true, ["trim_offsets"] = true, ["use_regex"] = true },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["dropout"] = null,
                ["unk_token"] = null,
                ["continuing_subword_prefix"] = null,
                ["end_of_word_suffix"] = null,
                ["fuse_unk"] = false,
                ["byte_fallback"] = false,
                ["vocab"] = vocab,
                ["merges"] = merges,
            },
        };
    }

    // SentencePiece-style vocabulary (Llama 2 layout): <unk>, <s>, </s>, 256 byte pieces, then pieces.
    public const int Unk = 0;
    public const int Bos = 1;
    public const int Eos = 2;
    public const int Metaspace = 259;       // "▁"
    public const int SpaceH = 267;          // "▁h"
    public const int Ll = 268;              // "ll"
    public const int SpaceHello = 271;      // "▁hello"
    public const int SpaceWorldPiece = 276; // "▁world"
    public const int O = 263;               // "o"

    public static int ByteToken(int b) => 3 + b;

    private static readonly string[] s_pieces = ["▁", "h", "e", "l", "o", "w", "r", "d"]; // 259..266

    private static readonly string[][] s_sentencePieceMerges =
    [
        ["▁", "h"],     // 267 ▁h
        ["l", "l"],     // 268 ll
        ["▁h", "e"],    // 269 ▁he
        ["▁he", "ll"],  // 270 ▁hell
        ["▁hell", "o"], // 271 ▁hello
        ["▁", "w"],     // 272 ▁w
        ["o", "r"],     // 273 or
        ["▁w", "or"],   // 274 ▁wor
        ["l", "d"],     // 275 ld
        ["▁wor", "ld"], // 276 ▁world
    ];

    /// <summary>A Llama 2 style tokenizer.json: Prepend/Replace normalizer, byte fallback, "&lt;s&gt; $A" template.</summary>
    public static JsonObject SentencePiece(bool mergesAsPairs = false)
    {
        var vocab = new JsonObject { ["<unk>"] = Unk, ["<s>"] = Bos, ["</s>"] = Eos };
        for (int b = 0; b < 256; b++)
        {
            vocab[$"<0x{b:X2}>"] = ByteToken(b);
        }

        int nextId = 259;
        foreach (string piece in s_pieces)
        {
            vocab[piece] = nextId++;
        }

        var merges = new JsonArray();
        foreach (var pair in s_sentencePieceMerges)
        {
            vocab[pair[0] + pair[1]] = nextId++;
            merges.Add(mergesAsPairs ? new JsonArray(pair[0], pair[1]) : (JsonNode)$"{pair[0]} {pair[1]}");
        }

        return new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = new JsonArray(Added(Unk, "<unk>"), Added(Bos, "<s>"), Added(Eos, "</s>")),
            ["normalizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["normalizers"] = new JsonArray(
                    new JsonObject { ["type"] = "Prepend", ["prepend"] = "▁" },
                    new JsonObject { ["type"] = "Replace", ["pattern"] = new JsonObject { ["String"] = " " }, ["content"] = "▁" }),
            },
            ["pre_tokenizer"] = null,
            ["post_processor"] = new JsonObject
            {
                ["type"] = "TemplateProcessing",
                ["single"] = new JsonArray(
                    new JsonObject { ["SpecialToken"] = new JsonObject { ["id"] = "<s>", ["type_id"] = 0 } },
                    new JsonObject { ["Sequence"] = new JsonObject { ["id"] = "A", ["type_id"] = 0 } }),
                ["pair"] = new JsonArray(),
                ["special_tokens"] = new JsonObject
                {
                    ["<s>"] = new JsonObject { ["id"] = "<s>", ["ids"] = new JsonArray(Bos), ["tokens"] = new JsonArray("<s>") },
                },
            },
            ["decoder"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["decoders"] = new JsonArray(
                    new JsonObject { ["type"] = "Replace", ["pattern"] = new JsonObject { ["String"] = "▁" }, ["content"] = " " },
                    new JsonObject { ["type"] = "ByteFallback" },
                    new JsonObject { ["type"] = "Fuse" },
                    new JsonObject { ["type"] = "Strip", ["content"] = " ", ["start"] = 1, ["stop"] = 0 }),
            },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["dropout"] = null,
                ["unk_token"] = "<unk>",
                ["continuing_subword_prefix"] = null,
                ["end_of_word_suffix"] = null,
                ["fuse_unk"] = true,
                ["byte_fallback"] = true,
                ["vocab"] = vocab,
                ["merges"] = merges,
            },
        };
    }

    public static JsonObject Added(int id, string content, bool special = true) => new()
    {
        ["id"] = id,
        ["content"] = content,
        ["single_word"] = false,
        ["lstrip"] = false,
        ["rstrip"] = false,
        ["normalized"] = false,
        ["special"] = special,
    };
}
