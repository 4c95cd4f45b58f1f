/**
 * The floors (docs/architecture.md): the CLI and its panel over @dbgen/pipeline over the stage
 * packages. A floor imports only floors below it; no command imports another.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

async function imports(dir: string): Promise<{ file: string; from: string }[]> {
  const names = await readdir(join(ROOT, dir), { recursive: true });
  const out: { file: string; from: string }[] = [];
  for (const name of names.filter((n) => n.endsWith(".ts"))) {
    const text = await readFile(join(ROOT, dir, name), "utf8");
    for (const m of text.matchAll(/(?:from|import\()\s*"([^"]+)"/g))
      out.push({ file: `${dir}/${name}`, from: m[1] ?? "" });
  }
  return out;
}

describe("the floors", () => {
  it("no command module imports another", async () => {
    const found = (await imports("packages/pipeline/src/commands")).filter((i) => /^\.\/[^/]+\.js$/.test(i.from));
    expect(found).toEqual([]);
  });
  it("the panel and the CLI reach commands through @dbgen/pipeline only", async () => {
    const found = (await imports("apps/cli/src")).filter(
      (i) =>
        i.from.includes("/commands/") &&
        !i.from.startsWith("@dbgen/pipeline/commands/") &&
        !i.from.endsWith("/panel.js"),
    );
    expect(found).toEqual([]);
  });
  it("no stage package imports the application layer or the CLI", async () => {
    const stages = (await readdir(join(ROOT, "packages"))).filter((p) => p !== "pipeline");
    const found: { file: string; from: string }[] = [];
    for (const p of stages)
      found.push(...(await imports(`packages/${p}/src`)).filter((i) => /^@dbgen\/(pipeline|cli)\b/.test(i.from)));
    expect(found).toEqual([]);
  });
});
