/**
 * The hostile-input corpus (tooling/hostile/, made by make.mjs) through the real CLI: every file is
 * refused with exit 1 and a coded error naming the file (and the line where there is one), no stack
 * trace, nothing written and no database touched. Beside it, inputs that must work do.
 */
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../dist/bin.js", import.meta.url));
const REPO = fileURLToPath(new URL("../../..", import.meta.url));
const CORPUS = join(REPO, "tooling/hostile");
const BUSM = ".pipeline/factory-tools/busm-reader/busm-model.json";
const MODULE = ".pipeline/modules/hostile-phase1.yaml";
const temps: string[] = [];
afterAll(async () => {
  await Promise.all(temps.map((t) => rm(t, { recursive: true, force: true })));
});

async function dbgen(root: string, args: readonly string[]) {
  return promisify(execFile)(process.execPath, [BIN, "--root", root, ...args], {
    env: { ...process.env, NO_COLOR: "1", DATABASE_URL: "", SUPABASE_DB_URL: "" },
    maxBuffer: 64 * 1024 * 1024,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

async function project(files: Record<string, string | Buffer>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "dbgen-hostile-"));
  temps.push(root);
  await mkdir(join(root, ".pipeline/modules"), { recursive: true });
  await mkdir(join(root, ".pipeline/factory-tools/busm-reader"), { recursive: true });
  for (const [path, content] of Object.entries(files)) await writeFile(join(root, path), content);
  return root;
}

async function tree(root: string): Promise<string[]> {
  return (await readdir(root, { recursive: true })).sort();
}

function expectRefused(run: { code: number; stderr: string }, file: string) {
  expect(run.code, run.stderr.slice(0, 500)).toBe(1);
  expect(run.stderr).toMatch(new RegExp(`^error [A-Z_]+ ${file.replaceAll(".", "\\.")}(:\\d+)?( |$)`, "m"));
  expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(run.stderr).not.toMatch(/INTERNAL_ERROR/);
}

const busmCases = (await readdir(join(CORPUS, "busm"))).sort();
const moduleCases = (await readdir(join(CORPUS, "modules"))).sort();
const validCases = (await readdir(join(CORPUS, "valid"))).sort();
const specCases = (await readdir(join(CORPUS, "specs"))).sort();

describe("the hostile corpus", () => {
  it("holds at least 60 refused inputs", () => {
    expect(busmCases.length + moduleCases.length).toBeGreaterThanOrEqual(60);
  });

  it.each(busmCases)("BUSM %s is refused by validate and all, and nothing is written", async (name) => {
    const root = await project({ [BUSM]: await readFile(join(CORPUS, "busm", name)) });
    const before = await tree(root);
    for (const command of ["validate", "all"]) expectRefused(await dbgen(root, [command]), BUSM);
    expect(await tree(root)).toEqual(before);
  });

  it.each(moduleCases)(
    "module %s is refused by generate, with no file written and no database touched",
    async (name) => {
      const root = await project({ [MODULE]: await readFile(join(CORPUS, "modules", name)) });
      await cp(join(REPO, BUSM), join(root, BUSM));
      const before = await tree(root);
      expectRefused(await dbgen(root, ["generate", "--module", "hostile"]), MODULE);
      expect(await tree(root)).toEqual(before);
    },
  );

  it.each(specCases)(
    "seed 004 spec %s is refused by migrate as INVALID_CONFIG, and nothing is written",
    async (name) => {
      const root = await project({ "spec.json": await readFile(join(CORPUS, "specs", name)) });
      const before = await tree(root);
      const run = await dbgen(root, ["migrate", join(root, "spec.json"), "--out", join(root, "out")]);
      expectRefused(run, join(root, "spec.json"));
      expect(run.stderr).toMatch(/^error INVALID_CONFIG /m);
      expect(await tree(root)).toEqual(before);
    },
  );

  it.each(validCases)("%s must work: the whole pipeline proves it on PGlite", async (name) => {
    const root = await project({ [BUSM]: await readFile(join(CORPUS, "valid", name)) });
    const run = await dbgen(root, ["all"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/applied and read back on PGlite/);
  });
});
