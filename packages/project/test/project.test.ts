/** The layout, the configuration, the write step and the lock, on real folders. */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  acquireProjectLock,
  DEFAULT_PATHS,
  layoutPaths,
  makeLayout,
  publish,
  recoverInterruptedWrite,
  resolveProject,
  resolveProjectConfig,
} from "../src/index.js";

const temps: string[] = [];
afterAll(async () => {
  await Promise.all(temps.map((t) => rm(t, { recursive: true, force: true })));
});
async function temp(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "dbgen-project-"));
  temps.push(dir);
  return dir;
}

describe("the layout", () => {
  it("puts the contract's paths under the pipeline folder, and a moved pipeline folder moves them all", () => {
    expect(DEFAULT_PATHS.busm).toBe(".pipeline/factory-tools/busm-reader/busm-model.json");
    expect(DEFAULT_PATHS.supabaseMigrations).toBe("supabase/migrations");
    const moved = layoutPaths({ pipeline: "./out/", concept: "docs/er/" });
    expect(moved.productionState).toBe("out/database/state/production/schema.json");
    expect(moved.concept).toBe("docs/er");
  });

  it("takes the seed's prototype.paths and the top-level paths together", () => {
    const config = resolveProjectConfig(
      { paths: { pipeline: "p" }, prototype: { paths: { modules: "mods/" } } },
      "dbgen.config.json",
    );
    expect(config.paths.modules).toBe("mods");
    expect(config.prototype.paths.modules).toBe("mods");
    expect(config.paths.state).toBe("p/database/state/prototype");
  });

  it("reads the config file at the root", async () => {
    const root = await temp();
    await writeFile(join(root, "dbgen.config.json"), JSON.stringify({ paths: { busm: "model.json" } }));
    const { layout } = await resolveProject(root);
    expect(layout.busm).toBe("model.json");
    expect(layout.configFile).toBe("dbgen.config.json");
  });
});

describe("the write step", () => {
  it("publishes only what changed, removes what it is told to, and leaves no temp or journal", async () => {
    const root = await temp();
    const layout = makeLayout(root);
    expect(
      await publish(layout, [
        { path: "a/b/one.txt", content: "1" },
        { path: "two.txt", content: "2" },
      ]),
    ).toEqual(["a/b/one.txt", "two.txt"]);
    expect(
      await publish(
        layout,
        [
          { path: "a/b/one.txt", content: "1" },
          { path: "two.txt", content: "2b" },
        ],
        { remove: ["a/b/one.txt", "absent.txt"] },
      ),
    ).toEqual(["two.txt", "a/b/one.txt"]);
    expect(await readFile(join(root, "two.txt"), "utf8")).toBe("2b");
    expect(existsSync(join(root, "a/b/one.txt"))).toBe(false);
    expect(
      (await readdir(root, { recursive: true })).filter((f) => f.includes(".tmp") || f.includes("journal")),
    ).toEqual([]);
  });

  it("rolls a staging journal back (temps and the folders it made) and a committed one forward", async () => {
    const root = await temp();
    const layout = makeLayout(root);
    await mkdir(join(root, ".pipeline/new"), { recursive: true });
    await writeFile(join(root, ".pipeline/new/.f.dbgen-x.tmp"), "staged");
    const journal = (state: string) =>
      JSON.stringify({
        version: 1,
        id: "x",
        state,
        entries: [{ path: ".pipeline/new/f", temp: ".pipeline/new/.f.dbgen-x.tmp" }],
        createdDirs: [".pipeline/new"],
      });
    await writeFile(join(root, layout.journalFile), journal("staging"));
    expect(await recoverInterruptedWrite(layout)).toEqual({ action: "rolled-back", files: [".pipeline/new/f"] });
    expect(await readdir(join(root, ".pipeline"))).toEqual([]);

    await mkdir(join(root, ".pipeline/new"));
    await writeFile(join(root, ".pipeline/new/.f.dbgen-x.tmp"), "staged");
    await writeFile(join(root, layout.journalFile), journal("committed"));
    expect(await recoverInterruptedWrite(layout)).toEqual({ action: "completed", files: [".pipeline/new/f"] });
    expect(await readFile(join(root, ".pipeline/new/f"), "utf8")).toBe("staged");
    expect(await recoverInterruptedWrite(layout)).toEqual({ action: "none" });
  });
});

describe("the project lock", () => {
  it("is exclusive within and across processes, refuses after the wait, and is gone once released", async () => {
    const root = await temp();
    const layout = makeLayout(root);
    const held = await acquireProjectLock(layout, { command: "first" });
    const holder = JSON.parse(await readFile(join(root, layout.lockFile), "utf8")) as { pid: number; command: string };
    expect(holder).toMatchObject({ pid: process.pid, command: "first" });
    await expect(acquireProjectLock(layout, { command: "second", waitMs: 200 })).rejects.toMatchObject({
      code: "LOCKED",
    });
    await held.release();
    expect(existsSync(join(root, layout.lockFile))).toBe(false);
    const again = await acquireProjectLock(layout, { command: "third", waitMs: 200 });
    await again.release();
  });
});

describe("naming patterns", () => {
  it("make identifiers only: a newline, a quote or a missing {table} is refused", () => {
    const config = (pattern: string) => ({ prototype: { rules: { indexNamePattern: pattern } } });
    expect(
      resolveProjectConfig(config("ix_{table}_{column}"), "dbgen.config.json").prototype.rules.indexNamePattern,
    ).toBe("ix_{table}_{column}");
    for (const bad of ["idx_{table}\nDROP TABLE accounts; --", "idx_{table}'", "idx_{column}", "IDX_{table}"])
      expect(() => resolveProjectConfig(config(bad), "dbgen.config.json")).toThrow(
        /indexNamePattern must hold \{table\}/,
      );
  });
});

describe("a lock left half-written by a crash", () => {
  it("is taken over once it is 2 s old, not before", async () => {
    const { utimes } = await import("node:fs/promises");
    const root = await temp();
    const layout = makeLayout(root);
    await mkdir(join(root, ".pipeline"), { recursive: true });
    await writeFile(join(root, layout.lockFile), '{ "pi');
    await expect(acquireProjectLock(layout, { command: "fresh", waitMs: 100 })).rejects.toMatchObject({
      code: "LOCKED",
    });
    const old = new Date(Date.now() - 5000);
    await utimes(join(root, layout.lockFile), old, old);
    const taken = await acquireProjectLock(layout, { command: "after", waitMs: 100 });
    expect(JSON.parse(await readFile(join(root, layout.lockFile), "utf8"))).toMatchObject({ command: "after" });
    await taken.release();
  });
});
