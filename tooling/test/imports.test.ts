/**
 * Every package builds to ESM with types and an exports map, and a plain Node script can import it.
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const PACKAGES = [
  "schema-core",
  "busm-reader",
  "db",
  "concept-docs",
  "prototype-generator",
  "schema-merger",
  "production-hardener",
  "access-tests",
  "pipeline",
].map((p) => `packages/${p}`);
PACKAGES.push("apps/cli");
const root = new URL("../..", import.meta.url);

describe.each(PACKAGES)("%s", (dir) => {
  it("has an exports map with types, and a plain Node script imports it by name", async () => {
    const manifest = JSON.parse(await readFile(new URL(`${dir}/package.json`, root), "utf8")) as {
      name: string;
      type: string;
      exports: Record<string, { types?: string; import?: string }>;
      files: string[];
    };
    expect(manifest.type).toBe("module");
    // What is published is what runs: the build, not the sources.
    expect(manifest.files).toEqual(["dist"]);
    expect(manifest.exports["."]).toMatchObject({ types: "./dist/index.d.ts", import: "./dist/index.js" });
    // Package self-reference: resolution goes through the exports map, as for any dependent.
    const script = `const m = await import(${JSON.stringify(manifest.name)}); console.log(Object.keys(m).length);`;
    const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], {
      cwd: new URL(dir, root),
    });
    expect(Number(stdout.trim())).toBeGreaterThan(0);
    await expect(readFile(new URL(`${dir}/dist/index.d.ts`, root), "utf8")).resolves.toContain("export");
  });
});

describe("every package's own test script", () => {
  it("runs that package's suite with the workspace's config (its reporter, its PostgreSQL cluster)", async () => {
    const { readdir } = await import("node:fs/promises");
    const dirs = [...(await readdir(new URL("packages", root))).map((p) => `packages/${p}`), "apps/cli"];
    for (const dir of dirs) {
      const manifest = JSON.parse(await readFile(new URL(`${dir}/package.json`, root), "utf8")) as {
        scripts?: Record<string, string>;
      };
      expect(manifest.scripts?.test, dir).toMatch(new RegExp(`^vitest run --root \\.\\./\\.\\. ${dir}(\\s|$)`));
    }
  });
});
