/**
 * One layout vocabulary (issue #29): only `@dbgen/project` spells a `.pipeline` path, a default path
 * constant, or the pattern of a file name dbgen writes. Everything else asks it.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Every TypeScript source outside `@dbgen/project` (no tests, no generated validators). */
async function sources(): Promise<{ file: string; text: string }[]> {
  const out: { file: string; text: string }[] = [];
  for (const base of ["packages", "apps"]) {
    for (const pkg of await readdir(join(ROOT, base))) {
      if (base === "packages" && pkg === "project") continue;
      const src = join(ROOT, base, pkg, "src");
      const names = await readdir(src, { recursive: true }).catch(() => [] as string[]);
      for (const name of names)
        if (name.endsWith(".ts") && !name.endsWith(".generated.ts"))
          out.push({ file: `${base}/${pkg}/src/${name}`, text: await readFile(join(src, name), "utf8") });
    }
  }
  return out;
}

const offending = async (pattern: RegExp) =>
  (await sources()).flatMap(({ file, text }) =>
    text.split("\n").flatMap((line, i) => (pattern.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
  );

describe("the layout's vocabulary lives in @dbgen/project", () => {
  it("no source spells a .pipeline path", async () => {
    expect(await offending(/\.pipeline\b/)).toEqual([]);
  });
  it("no stage package derives a default path constant of its own", async () => {
    expect(await offending(/export const [A-Z_]+ = DEFAULT_PATHS\./)).toEqual([]);
  });
  it("no source parses a generated file's name with its own pattern", async () => {
    const patterns = /iteration-\(|rollback-iteration-\\|_iter\(|_iter\\d|\\d\{14\}_|database-types-iter\\/;
    expect(await offending(patterns)).toEqual([]);
  });
});
