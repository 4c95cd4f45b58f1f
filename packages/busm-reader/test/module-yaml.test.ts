/**
 * Module files are read by js-yaml first (fast) and by the `yaml` library only where that reading
 * could differ or a line is needed. Both paths must give the same value and the same diagnostics,
 * lines included, for every module file the project has and for YAML's corners.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { parseModule, parseModuleFully, quickModuleValue } from "../src/parse.js";

const repo = join(import.meta.dirname, "../../..");
const folders = [
  ".pipeline/modules",
  "tooling/hostile/modules",
  "packages/prototype-generator/test/fixtures/account-management",
];
const files = folders.flatMap((folder) =>
  readdirSync(join(repo, folder))
    .filter((name) => name.endsWith(".yaml"))
    .map((name) => ({ name: `${folder}/${name}`, text: readFileSync(join(repo, folder, name), "utf8") })),
);

const head = "module: corners\nphase: 1\nentities: [Account]\n";
const CORNERS: Record<string, string> = {
  "numbers in YAML 1.2's core schema": `${head}fields:\n  Account: [{ a: string }]\nx: [0o14, 012, 0x1F, 1e3, -.5, +1.50, 2., .inf, -.Inf, .NaN, 1_000, 0b11, +12, -0, 0o8, 1e, 9007199254740993]\n`,
  "booleans, nulls and the YAML 1.1 words that are strings in 1.2": `${head}x: [true, True, TRUE, false, ~, null, Null, yes, no, on, off, y, n]\n`,
  "dates and times stay strings": `${head}x: [2024-01-01, 2024-01-01T10:00:00Z, 12:30:00]\n`,
  "quoted strings with escapes": `${head}x: ["a\\tb\\u00e9\\x41", 'it''s', "\\"q\\"", "#not a comment"]\n`,
  "block scalars": `${head}x: |\n  two\n  lines\ny: >-\n  folded\n  text\n`,
  "flow and block collections, nested": `${head}fields:\n  Account:\n    - name\n    - { extra: { type: string, maxLength: 10 } }\n`,
  "a merge key is a plain key in YAML 1.2": `${head}base: &b { a: 1 }\nx:\n  <<: *b\n  c: 2\n`,
  "an alias to a mapping": `${head}base: &b { a: 1 }\nx: *b\n`,
  "an alias to a scalar": `${head}base: &b text\nx: *b\n`,
  "a custom tag": `${head}x: !custom value\n`,
  "standard tags": `${head}x: [!!str 12, !!int "7", !!float "1.5", !!null ""]\n`,
  "keys that are not strings": `${head}x: { 1: a, true: b, null: c, 1.50: d, 0x1F: e }\n`,
  "a key that is null": `${head}x: { ~: a }\n`,
  "a key that is a boolean": `${head}x: { true: a, False: b }\n`,
  "a complex key": `${head}? [a, b]\n: value\n`,
  "two documents": `${head}---\nmodule: second\n`,
  "a document end marker": `${head}...\n`,
  "a directive": `%YAML 1.2\n---\n${head}`,
  "comments everywhere": `# top\nmodule: corners # trailing\nphase: 1\nentities: [Account] # more\n# end\n`,
  "a byte order mark": `\uFEFF${head}`,
  "Windows line ends": head.replaceAll("\n", "\r\n"),
  "a __proto__ key": `${head}__proto__: { polluted: true }\nx: { __proto__: 1 }\n`,
  "a constructor key": `${head}x: { constructor: 1, toString: 2 }\n`,
  "a duplicate key in a nested mapping": `${head}x: { a: 1, a: 2 }\n`,
  "tabs for indentation": `${head}fields:\n\tAccount: [a]\n`,
  "an unclosed flow sequence": `${head}x: [a, b\n`,
  "a scalar document": "just text\n",
  "a sequence document": "- a\n- b\n",
  "an empty document": "",
  "only a comment": "# nothing\n",
  "a very long line": `${head}x: ${"a".repeat(100_000)}\n`,
  "a long line of brackets": `${head}x: [${"[a], ".repeat(20_000)}[a]]\n`,
  "flow collections 10,000 deep": `${head}x: ${"[".repeat(10_000)}${"]".repeat(10_000)}\n`,
  "flow collections 64 deep, in quotes and comments deeper": `${head}x: ${"[".repeat(64)}"${"[".repeat(100)}"${"]".repeat(64)} # ${"{".repeat(100)}\ny: '${"[".repeat(100)}'\n`,
};

const cases = [...files, ...Object.entries(CORNERS).map(([name, text]) => ({ name, text }))];

describe("module files: the quick reader agrees with the yaml library", () => {
  it.each(cases)("$name", ({ name, text }) => {
    const quick = parseModule(text, "m.yaml");
    const full = parseModuleFully(text, "m.yaml");
    expect({ value: quick.value, diagnostics: quick.diagnostics }, name).toEqual({
      value: full.value,
      diagnostics: full.diagnostics,
    });
    // The values themselves, before the schema: where the quick reader answers, it answers as yaml does.
    const value = quickModuleValue(text);
    if (value !== undefined) expect(value, name).toEqual(parseDocument(text, { uniqueKeys: true }).toJS());
    for (const path of [["fields"], ["fields", "Account"], ["fields", "Account", 0], ["x"], ["nowhere", 3]])
      expect(quick.locator.lineOf(path), `${name}: line of ${path.join(".")}`).toBe(full.locator.lineOf(path));
  });

  it("answers quickly for plain module files, and leaves aliases, tags, errors and other documents to yaml", () => {
    const quick = (name: string) => quickModuleValue(CORNERS[name] ?? "") !== undefined;
    for (const name of ["numbers in YAML 1.2's core schema", "block scalars", "standard tags"])
      expect(quick(name), name).toBe(true);
    for (const name of [
      "an alias to a mapping",
      "a custom tag",
      "keys that are not strings",
      "a complex key",
      "two documents",
      "a duplicate key in a nested mapping",
      "a scalar document",
      "an empty document",
    ])
      expect(quick(name), name).toBe(false);
    expect(files.filter((f) => f.name.startsWith(".pipeline") && quickModuleValue(f.text) === undefined)).toEqual([]);
  });

  it("reads a line of 120,000 brackets in linear time (a backtracking pattern took seconds)", () => {
    const started = performance.now();
    quickModuleValue(`${head}x: [${"[a], ".repeat(60_000)}[a]]\n`);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("refuses flow collections nested past 64 levels with one error at their line, whatever the stack", () => {
    const parsed = parseModule(CORNERS["flow collections 10,000 deep"] ?? "", "m.yaml");
    expect(parsed.diagnostics).toEqual([expect.objectContaining({ code: "PARSE_ERROR", line: 4 })]);
    expect(parsed.diagnostics[0]?.message).toMatch(/deeper than 64 levels/);
    expect(
      parseModule(CORNERS["flow collections 64 deep, in quotes and comments deeper"] ?? "", "m.yaml").diagnostics.map(
        (d) => d.message,
      ),
    ).not.toContainEqual(expect.stringMatching(/deeper than/));
  });

  it("covers every module file of the project, the hostile corpus and the fixtures", () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });
});
