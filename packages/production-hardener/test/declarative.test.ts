/**
 * The declarative schema files (`supabase/schemas/`): applied in file-name order to a fresh
 * Supabase-shaped PostgreSQL 15, they build what the fresh install builds, object by object as the
 * catalog prints them, for the example and for random models; and `config.toml` names them in
 * `schema_paths` without losing a line of the team's file.
 */

import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { analyseProject, ensureSqlParser, modelFacts, readProject } from "@dbgen/busm-reader";
import { DEFAULT_PATHS } from "@dbgen/project";
import { mergeModules, readLatestStates } from "@dbgen/schema-merger";
import { createTestDatabase } from "@dbgen/tooling/pg-harness";
import pg from "pg";
import { parse } from "smol-toml";
import { describe, expect, inject, it } from "vitest";
// @ts-expect-error: plain JavaScript shared with the benchmarks, without types
import { syntheticModel } from "../../../tooling/bench/synthetic.mjs";
import { parseBackfill, planProduction, SUPABASE_SHIM_SQL, withSchemaPaths } from "../src/index.js";

const REPO = fileURLToPath(new URL("../../..", import.meta.url));
const adminUrl = inject("pgAdminUrl");

/** Every object of the application's schemas as PostgreSQL itself prints it. */
const CATALOG = `
  select 'column ' || table_schema || '.' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') as item
    from information_schema.columns where table_schema in ('public', 'audit', 'private')
  union all select 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) from pg_constraint where connamespace::regnamespace::text in ('public', 'audit', 'private')
  union all select 'index ' || indexdef from pg_indexes where schemaname in ('public', 'audit', 'private')
  union all select 'policy ' || schemaname || '.' || tablename || ' ' || policyname || ' ' || cmd || ' ' || array_to_string(roles, ',') || ' ' || coalesce(qual, '') || ' ' || coalesce(with_check, '') from pg_policies
  union all select 'trigger ' || pg_get_triggerdef(oid) from pg_trigger where not tgisinternal
  union all select 'function ' || pg_get_functiondef(p.oid) from pg_proc p where pronamespace::regnamespace::text in ('public', 'audit', 'private')
  union all select 'grant ' || grantee || ' ' || table_schema || '.' || table_name || ' ' || privilege_type from information_schema.role_table_grants where table_schema in ('public', 'audit', 'private')
  union all select 'rls ' || relname || ' ' || relrowsecurity from pg_class where relnamespace::regnamespace::text = 'public' and relkind = 'r'
  order by 1`;

async function built(scripts: readonly string[]): Promise<string[]> {
  const db = await createTestDatabase(adminUrl);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query(SUPABASE_SHIM_SQL);
    for (const script of scripts) await client.query(script);
    return (await client.query<{ item: string }>(CATALOG)).rows.map((r) => r.item);
  } finally {
    await client.end();
    await db.drop();
  }
}

async function examplePlan() {
  await ensureSqlParser();
  const project = await readProject(REPO);
  if (!project.model) throw new Error("the example's model does not read");
  const merge = mergeModules(modelFacts(project.model), await readLatestStates(REPO));
  const backfills = parseBackfill(await readFile(`${REPO}/${DEFAULT_PATHS.backfill}`, "utf8"));
  return planProduction({ merged: merge.merged, union: merge.union, backfills, nowMs: 0 });
}

describe("supabase/schemas", () => {
  it("the example: applied in file-name order, the same catalog as the fresh install", async () => {
    const plan = await examplePlan();
    const names = plan.schemaFiles.map((f) => f.name);
    expect(names).toEqual([...names].sort());
    expect(names.length).toBeGreaterThan(3);
    const declared = await built(plan.schemaFiles.map((f) => f.content));
    expect(declared.length).toBeGreaterThan(100);
    expect(declared).toEqual(await built([plan.freshInstall]));
    // Each file is in the plan's files under supabase/schemas.
    for (const f of plan.schemaFiles) expect(plan.files.map((x) => x.path)).toContain(`supabase/schemas/${f.name}`);
  }, 60_000);

  it("random models: applied in file-name order, the same catalog as the fresh install", async () => {
    for (const seed of [5, 17, 41]) {
      const project = analyseProject({ file: "busm.json", text: JSON.stringify(syntheticModel(15, seed)) }, []);
      if (!project.schema) throw new Error(JSON.stringify(project.diagnostics));
      const plan = planProduction({ merged: project.schema, union: project.schema, nowMs: 0 });
      const declared = await built(plan.schemaFiles.map((f) => f.content));
      expect(declared, `seed ${seed}`).toEqual(await built([plan.freshInstall]));
    }
  }, 120_000);

  it("the check sees a difference: a file left out changes the catalog", async () => {
    const plan = await examplePlan();
    const withoutLast = plan.schemaFiles.slice(0, -1).map((f) => f.content);
    expect(await built(withoutLast)).not.toEqual(await built([plan.freshInstall]));
  }, 60_000);
});

describe("config.toml's schema_paths", () => {
  const paths = ["./schemas/01_schemas.sql", "./schemas/02_tables.sql"];
  const read = (toml: string) => (parse(toml) as { db: { migrations: { schema_paths: string[] } } }).db.migrations;

  it.each([
    ["no [db.migrations] section", '# my project\nproject_id = "app"\n\n[db]\nport = 54322\n'],
    [
      "the section without the key",
      'project_id = "app"\n[db.migrations]\n# keep me\nenabled = true\n\n[api]\nport = 1\n',
    ],
    [
      "the key over several lines",
      '[db.migrations]\nenabled = true\nschema_paths = [\n  "./schemas/old.sql", # old\n]\n\n[db.seed]\nenabled = true\n',
    ],
  ])("%s: names the files in order, every other line kept", (_case, toml) => {
    const next = withSchemaPaths(toml, paths);
    // The team's own entries stay, after dbgen's.
    expect(read(next).schema_paths).toEqual([...paths, ...(toml.includes("old.sql") ? ["./schemas/old.sql"] : [])]);
    const kept = toml
      .split("\n")
      .filter((l) => l !== "" && !l.includes("schemas/old.sql") && !/^schema_paths|^\]/.test(l));
    for (const line of kept) expect(next.split("\n")).toContain(line);
    expect(withSchemaPaths(next, paths)).toBe(next);
  });

  it("dbgen's files from an older harden are replaced, not kept", () => {
    const toml = '[db.migrations]\nschema_paths = ["./schemas/09_comments.sql", "./schemas/*.view.sql"]\n';
    expect(read(withSchemaPaths(toml, paths)).schema_paths).toEqual([...paths, "./schemas/*.view.sql"]);
  });

  it("a file that is not TOML is refused, not rewritten", () => {
    expect(() => withSchemaPaths("[db.migrations\nschema_paths = 1", paths)).toThrow();
  });
});
