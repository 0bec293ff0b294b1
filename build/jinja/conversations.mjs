// Conversations every real chat template is rendered for (add_generation_prompt true and false unless narrowed).
const sys = { role: "system", content: "You are a concise assistant that answers in one sentence." };
const u1 = { role: "user", content: "What is the capital of France?" };
const a1 = { role: "assistant", content: "The capital of France is Paris." };
const u2 = { role: "user", content: "And of Germany?" };
const a2 = { role: "assistant", content: "Berlin." };
const u3 = { role: "user", content: "Thanks! One more: Italy?" };

export const conversations = [
  { name: "single-user", messages: [u1] },
  { name: "system-single-user", messages: [sys, u1] },
  { name: "system-multi-turn", messages: [sys, u1, a1, u2] },
  { name: "no-system-multi-turn", messages: [u1, a1, u2, a2, u3] },
  { name: "ends-with-assistant", messages: [sys, u1, a1, u2, a2], addGenerationPrompt: [false] },
  {
    name: "whitespace-unicode",
    messages: [
      { role: "system", content: "  Réponds en français.\n\n" },
      { role: "user", content: "\t  Ünïcødé: 日本語, עברית, العربية, emoji 👩‍👩‍👧 👍🏽, math 𝐀𝟓, braces {{ not jinja }} {% raw %}, quotes ' \" \\ \n\nend  " },
      { role: "assistant", content: "\n  Line one\r\n  line two\t\n" },
      { role: "user", content: " " },
    ],
  },
  {
    name: "roles-not-alternating",
    messages: [u1, { role: "user", content: "Hello again?" }],
  },
  {
    name: "empty-contents",
    messages: [{ role: "system", content: "" }, { role: "user", content: "" }, { role: "assistant", content: "" }, { role: "user", content: "x" }],
  },
  {
    name: "thinking-history",
    only: ["qwen3"],
    messages: [
      u1,
      { role: "assistant", content: "<think>\nThe user asks about France.\n</think>\n\nParis." },
      u2,
      { role: "assistant", content: "Berlin.", reasoning_content: "Germany's capital is Berlin." },
      u3,
    ],
  },
  {
    name: "thinking-final-answer",
    only: ["qwen3"],
    addGenerationPrompt: [false],
    messages: [u1, { role: "assistant", content: "<think>\nFrance's capital.\n</think>\n\nParis." }],
  },
  {
    // Python's str.strip('\n') keeps the spaces; @huggingface/jinja's strip ignores its argument and trims them.
    name: "thinking-indented",
    only: ["qwen3"],
    addGenerationPrompt: [false],
    messages: [u1, { role: "assistant", content: "<think>\n  indented reasoning  \n</think>\n\n  Paris." }],
  },
  { name: "enable-thinking-false", only: ["qwen3"], messages: [sys, u1], extra: { enable_thinking: false } },
  { name: "enable-thinking-true", only: ["qwen3"], messages: [sys, u1], extra: { enable_thinking: true } },
  {
    name: "tools",
    only: ["qwen3"],
    tools: [
      {
        type: "function",
        function: {
          name: "get_weather",
          description: "Get the weather for a city — in °C.",
          parameters: { type: "object", properties: { city: { type: "string" }, days: { type: "integer", minimum: 1 } }, required: ["city"] },
        },
      },
    ],
    messages: [
      sys,
      { role: "user", content: "Weather in Zürich?" },
      {
        role: "assistant",
        content: "",
        tool_calls: [
          { type: "function", function: { name: "get_weather", arguments: { city: "Zürich", days: 2 } } },
          { type: "function", function: { name: "get_weather", arguments: "{\"city\": \"Bern\"}" } },
        ],
      },
      { role: "tool", content: "{\"temp\": 21.5}" },
      { role: "tool", content: "{\"temp\": 19}" },
      { role: "assistant", content: "It is 21.5 °C in Zürich." },
      { role: "user", content: "<tool_response>late</tool_response>" },
    ],
  },
  {
    name: "content-parts",
    only: ["gemma3"],
    messages: [
      { role: "system", content: [{ type: "text", text: "Describe images briefly." }] },
      { role: "user", content: [{ type: "image" }, { type: "text", text: " What is this? " }] },
    ],
  },
];
