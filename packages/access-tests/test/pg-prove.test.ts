/**
 * The generated pgTAP access tests (`dbgen test`, spec §2a) under `pg_prove` on PostgreSQL 15 set up like
 * Supabase: they pass on the hardened team app (rules per operation) and on the example (the shorthand
 * modes), and they are not vacuous — one wider policy added to the database makes them fail.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { buildModelSchema, modelFacts, readProject } from "@dbgen/busm-reader";
import { planProduction, SUPABASE_SHIM_SQL } from "@dbgen/production-hardener";
import { mergeModules } from "@dbgen/schema-merger";
import { createTestDatabase } from "@dbgen/tooling/pg-harness";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { planAccessTests } from "../src/index.js";

const adminUrl = inject("pgAdminUrl");
const fixture = (name: string) => fileURLToPath(new URL(`../../../tooling/fixtures/${name}`, import.meta.url));
const EXAMPLE = fileURLToPath(new URL("../../..", import.meta.url));
const PG_PROVE = "/usr/bin/pg_prove";

async function hardened(root: string) {
  const project = await readProject(root);
  const errors = project.diagnostics.filter((d) => d.severity === "error");
  if (errors.length || !project.model) throw new Error(JSON.stringify(errors));
  const merged = mergeModules(
    modelFacts(project.model),
    project.modules.map((m) => ({ module: m.config.module, iteration: m.config.iteration ?? 1, schema: m.schema })),
  );
  const plan = planProduction({ merged: merged.merged, union: merged.union, nowMs: 0 });
  return { plan, tests: planAccessTests(plan.schema, buildModelSchema(project.model)) };
}

interface Prove {
  readonly code: number;
  readonly out: string;
  readonly failed: string[];
}

async function prove(url: string, sql: string): Promise<Prove> {
  const dir = await mkdtemp(join(tmpdir(), "dbgen-pgtap-"));
  const file = join(dir, "dbgen_access.test.sql");
  await writeFile(file, sql);
  try {
    const { stdout } = await promisify(execFile)(PG_PROVE, ["--verbose", "-d", url, file], { maxBuffer: 64 << 20 });
    return { code: 0, out: stdout, failed: [] };
  } catch (error) {
    const out = `${(error as { stdout?: string }).stdout ?? ""}${(error as { stderr?: string }).stderr ?? ""}`;
    const failed = out.split("\n").filter((l) => l.startsWith("not ok") || l.startsWith("#"));
    return { code: (error as { code?: number }).code ?? 1, out, failed };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!adminUrl)("generated access tests under pg_prove on PostgreSQL 15", () => {
  const drops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const drop of drops) await drop();
  });

  async function database(freshInstall: string): Promise<string> {
    const db = await createTestDatabase(adminUrl);
    drops.push(db.drop);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query(SUPABASE_SHIM_SQL);
      await client.query(freshInstall);
    } finally {
      await client.end();
    }
    return db.url;
  }

  describe("the team app (access rules per operation)", () => {
    let url: string;
    let tests: ReturnType<typeof planAccessTests>;
    beforeAll(async () => {
      const built = await hardened(fixture("team-app"));
      tests = built.tests;
      url = await database(built.plan.freshInstall);
    }, 60_000);

    it("pass, every actor × table × operation, in one transaction that leaves nothing behind", async () => {
      expect([...tests.tables].sort()).toEqual(
        ["organizations", "messages", "memberships", "projects", "audit_entries"].sort(),
      );
      expect(tests.actors).toContain("a organizations member with role admin");
      expect(tests.tests).toBeGreaterThan(200);
      const run = await prove(url, tests.sql);
      expect(run.failed, run.out.slice(-4000)).toEqual([]);
      expect(run.code, run.out.slice(-3000)).toBe(0);
      expect(run.out).toContain(`1..${tests.tests}`);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query("select count(*)::int as n from public.organizations");
      await client.end();
      expect(rows[0].n).toBe(0);
    }, 120_000);

    it("fail when the database lets more through than the model says (a select policy using (true))", async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query("create policy too_wide on public.projects for select to authenticated using (true)");
      try {
        const run = await prove(url, tests.sql);
        expect(run.code).not.toBe(0);
        expect(run.failed.join("\n")).toContain("projects: select a row of scope B as a stranger");
      } finally {
        await client.query("drop policy too_wide on public.projects");
        await client.end();
      }
    }, 120_000);
  });

  it("pass on the example's shorthand modes (owner, tenant, parent, authenticated, public-read, service-only)", async () => {
    const built = await hardened(EXAMPLE);
    const url = await database(built.plan.freshInstall);
    const run = await prove(url, built.tests.sql);
    expect(run.failed, run.out.slice(-4000)).toEqual([]);
    expect(run.code, run.out.slice(-3000)).toBe(0);
  }, 120_000);
});
