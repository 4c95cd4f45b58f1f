/**
 * The BUSM is read by JSON.parse when the text is valid JSON with no duplicate key (checked by
 * counting the properties written against those held), and by the full reader otherwise. Both must
 * give the same value and diagnostics, lines included.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseBusm, parseBusmFully } from "../src/parse.js";

const repo = join(import.meta.dirname, "../../..");
const fromFolder = (folder: string) =>
  readdirSync(join(repo, folder))
    .filter((name) => name.endsWith(".json"))
    .map((name) => ({ name: `${folder}/${name}`, text: readFileSync(join(repo, folder, name), "utf8") }));
const files = [
  ...fromFolder("tooling/hostile/busm"),
  ...fromFolder("tooling/hostile/valid"),
  ...fromFolder(".pipeline/factory-tools/busm-reader"),
];

const entity = '{ "fields": { "name": { "type": "string" } } }';
const CORNERS: Record<string, string> = {
  "a duplicate key deep inside": `{ "busm": "1", "entities": { "A": { "fields": { "x": { "type": "string", "type": "integer" } } } } }`,
  "a duplicate key at the top": `{ "busm": "1", "busm": "1", "entities": { "A": ${entity} } }`,
  "a duplicate key in an object inside an array": `{ "busm": "1", "entities": { "A": ${entity} }, "relationships": [{ "from": "A", "from": "A", "to": "A", "type": "one-to-many" }] }`,
  "colons, braces and quotes inside strings": `{ "busm": "1", "entities": { "A": { "description": "a: {b} [c] \\"d: e\\" \\\\", "fields": { "x:y": { "type": "string" } } } } }`,
  "a __proto__ key": `{ "busm": "1", "__proto__": { "x": 1 }, "entities": { "A": ${entity} } }`,
  "two __proto__ keys": `{ "busm": "1", "entities": { "A": ${entity} }, "__proto__": 1, "__proto__": 2 }`,
  "unicode escapes and a lone surrogate": `{ "busm": "1", "entities": { "A": { "description": "\\u00e9 \\ud800 \\u0000", "fields": { "name": { "type": "string" } } } } }`,
  "numbers at the edges": `{ "busm": "1", "entities": { "A": { "fields": { "n": { "type": "integer", "min": -0, "max": 1e400 } } } } }`,
  "a byte order mark": `\uFEFF{ "busm": "1", "entities": {} }`,
  "a trailing comma": `{ "busm": "1", "entities": {}, }`,
  "a comment": `{ "busm": "1", // why\n "entities": {} }`,
  empty: "",
  "only whitespace": " \n\t ",
  "a bare value": "null",
  "an array": "[]",
  "nesting deeper than allowed": `${"[".repeat(70)}${"]".repeat(70)}`,
  "two values": `{ "busm": "1" } { "busm": "1" }`,
};
const cases = [...files, ...Object.entries(CORNERS).map(([name, text]) => ({ name, text }))];

describe("the BUSM: JSON.parse's answer agrees with the full reader", () => {
  it.each(cases)("$name", ({ name, text }) => {
    const quick = parseBusm(text, "busm.json");
    const full = parseBusmFully(text, "busm.json");
    expect({ value: quick.value, diagnostics: quick.diagnostics }, name).toEqual({
      value: full.value,
      diagnostics: full.diagnostics,
    });
    for (const path of [["entities"], ["entities", "A", "fields", "x"], ["relationships", 0, "from"], ["nowhere"]])
      expect(quick.locator.lineOf(path), `${name}: line of ${path.join(".")}`).toBe(full.locator.lineOf(path));
  });

  it("finds every duplicate key, however deep", () => {
    for (const name of [
      "a duplicate key deep inside",
      "a duplicate key at the top",
      "a duplicate key in an object inside an array",
      "two __proto__ keys",
    ])
      expect(
        parseBusm(CORNERS[name] ?? "", "busm.json").diagnostics.map((d) => d.code),
        name,
      ).toContain("DUPLICATE_KEY");
  });
});
