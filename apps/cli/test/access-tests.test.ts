/**
 * `dbgen test` end to end on the team app (spec §2a): the pgTAP file is written where `supabase test db`
 * looks, the same bytes every time; `--run` passes on the embedded production database (PGlite's pgTAP),
 * fails naming the check when the database lets more through than the model says, and refuses a database
 * without the production schema, writing nothing.
 */
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "@dbgen/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dbgen, REPO, type Run, treeOf } from "./helpers.js";

const FILE = "supabase/tests/dbgen_access.test.sql";

describe("dbgen test on the team app", () => {
  let root: string;
  const run = (args: readonly string[]): Promise<Run> => dbgen(["--root", root, ...args]);
  const ok = async (args: readonly string[]) => {
    const result = await run(args);
    expect(result.code, `${args.join(" ")}: ${result.stderr}`).toBe(0);
    return result;
  };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "dbgen-access-"));
    await cp(join(REPO, "tooling/fixtures/team-app"), root, { recursive: true });
    await ok(["generate", "--module", "teams"]);
    await ok(["merge"]);
    await ok(["harden"]);
  }, 120_000);
  afterAll(async () => rm(root, { recursive: true, force: true }));

  it("refuses to run on a database without the production schema, and writes nothing", async () => {
    const before = await treeOf(root);
    const refused = await run(["test", "--run"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/ACCESS_TEST_FAILED/);
    expect(refused.stderr).toMatch(/dbgen apply --stage production/);
    expect(await treeOf(root)).toEqual(before);
  }, 60_000);

  it("writes the pgTAP file where supabase test db finds it, the same bytes every time", async () => {
    const first = await ok(["test"]);
    expect(first.stdout).toMatch(/access tests: \d+ checks, 5 tables × 9 actors/);
    expect(first.stdout).toContain(`wrote ${FILE}`);
    const sql = await readFile(join(root, FILE), "utf8");
    expect(sql).toMatch(/^-- dbgen access tests/);
    expect(sql).toMatch(/\nBEGIN;\n[\s\S]*\nSELECT plan\(\d+\);\n[\s\S]*\nSELECT \* FROM finish\(\);\nROLLBACK;\n$/);
    const again = await ok(["test"]);
    expect(again.stdout).toContain(`unchanged ${FILE}`);
    expect(await readFile(join(root, FILE), "utf8")).toBe(sql);
  }, 60_000);

  it("passes on the embedded production database, and fails naming the check a wider policy breaks", async () => {
    await ok(["apply", "--stage", "production"]);
    const passed = await ok(["test", "--run", "--json"]);
    const result = JSON.parse(passed.stdout).result as { checks: number; ran: { passed: number } };
    expect(result.ran.passed).toBe(result.checks);
    expect(result.checks).toBeGreaterThan(300);

    const db = await openDatabase({ kind: "pglite", dataDir: join(root, ".pipeline/database/dev/production") });
    try {
      await db.knex.raw(
        "create policy too_wide on public.messages for update to authenticated using (true) with check (true)",
      );
    } finally {
      await db.close();
    }
    const failed = await run(["test", "--run"]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/ACCESS_TEST_FAILED/);
    expect(failed.stderr).toContain("messages: update a row of scope A as a stranger");
    expect(failed.stderr).toMatch(/as a stranger \(got rows: 1; the rules say rows: 0\)/);
  }, 120_000);
});

describe("dbgen test on the film-rental fixture", () => {
  it("passes on PGlite: identity keys, a citext unique column, a unique auth.users reference, a profile made at signup", async () => {
    const root = await mkdtemp(join(tmpdir(), "dbgen-access-film-"));
    try {
      await cp(join(REPO, "tooling/fixtures/film-rental"), root, { recursive: true });
      for (const args of [
        ["generate", "--module", "catalog"],
        ["merge"],
        ["harden"],
        ["apply", "--stage", "production"],
      ]) {
        const step = await dbgen(["--root", root, ...args]);
        expect(step.code, `${args.join(" ")}: ${step.stderr}`).toBe(0);
      }
      const run = await dbgen(["--root", root, "test", "--run"]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/passed (\d+) of \1 on PGlite/);
      const sql = await readFile(join(root, FILE), "utf8");
      // Values are untyped literals: a cast would name extensions.citext, which clients cannot use.
      expect(sql).not.toContain("::extensions.");
      expect(sql).toContain("customers: insert as a stranger");
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("dbgen test before production exists", () => {
  it("is refused naming what to run first, and writes nothing", async () => {
    const root = await mkdtemp(join(tmpdir(), "dbgen-access-none-"));
    try {
      await cp(join(REPO, "tooling/fixtures/team-app"), root, { recursive: true });
      const before = await treeOf(root);
      const refused = await dbgen(["--root", root, "test"]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/INVALID_CONFIG .*No production state.*dbgen harden first/);
      expect(await treeOf(root)).toEqual(before);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }, 60_000);
});
