/**
 * Each package's index documents itself with an `@example`: every function it calls must be one the
 * packages export (an example calling a function that no longer exists is worse than none).
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PACKAGES = (await readdir(join(ROOT, "packages"))).sort();
/** Calls an example may make that are not the packages': the language's and Node's. */
const GLOBAL = new Set(["if", "for", "while", "switch", "return", "await", "readFile", "writeFile", "import"]);

async function exported(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const pkg of PACKAGES) {
    const module = await import(pathToFileURL(join(ROOT, "packages", pkg, "dist/index.js")).href);
    for (const name of Object.keys(module)) names.add(name);
  }
  return names;
}

/** The example's own calls: `name(` not after a `.` (a method of something else). */
function calls(example: string): string[] {
  return [...example.matchAll(/(?<![.\w])([A-Za-z_]\w*)\s*\(/g)].map((m) => m[1] ?? "").filter((n) => !GLOBAL.has(n));
}

describe("index examples", () => {
  it.each(PACKAGES)("%s: its example calls only what the packages export", async (pkg) => {
    const text = await readFile(join(ROOT, "packages", pkg, "src/index.ts"), "utf8");
    const example = /@example\n([\s\S]*?)\*\//.exec(text)?.[1];
    expect(example, `${pkg} has an @example in its index`).toBeDefined();
    const names = await exported();
    expect(calls(example ?? "").filter((n) => !names.has(n))).toEqual([]);
  });
});
