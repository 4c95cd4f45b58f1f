/**
 * `dbgen harden`: the production schema, its upgrade migration(s) and types, proven on an in-memory
 * PGlite (with Supabase's roles) before anything is written. `dbgen apply --stage production`
 * applies the production migrations.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { applyMigration, currentIteration, type Database, execScript, openDatabase, readHistory, resolveTarget } from "@dbgen/db";
import { BACKFILL_PATH, type BackfillRule, PRODUCTION_MIGRATIONS_DIR, PRODUCTION_STATE, type ProductionPlan, parseBackfill, planProduction, SUPABASE_SHIM_SQL } from "@dbgen/production-hardener";
import { generationTime, type OutputFile, writeOutputs } from "@dbgen/prototype-generator";
import { DbgenError, parseSnapshot, type Snapshot } from "@dbgen/schema-core";
import { confirmTarget, type DatabaseOptions, openTarget } from "../database.js";
import type { CommandResult, GlobalOptions } from "../output.js";
import { type CheckedProject, readCheckedProject } from "../project.js";
import { type MergePlan, planMerge } from "./merge.js";

async function readOptional(path: string): Promise<string | undefined> {
  return readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
}

async function productionMigrationNames(root: string): Promise<string[]> {
  const names = await readdir(join(root, PRODUCTION_MIGRATIONS_DIR)).catch(() => [] as string[]);
  return names.filter((n) => /^\d{14}_[a-z0-9_]+\.sql$/.test(n) && !n.endsWith(".down.sql")).sort();
}

/** Supabase's roles and auth functions, created on a database that lacks them (plain PostgreSQL, PGlite). */
export async function ensureSupabaseShim(db: Database): Promise<boolean> {
  const { rows } = await db.knex.raw<{ rows: { present: boolean }[] }>(
    "select to_regprocedure('auth.uid()') is not null and exists (select 1 from pg_roles where rolname = 'service_role') as present",
  );
  if (rows[0]?.present) return false;
  await db.knex.transaction((trx) => execScript(trx, SUPABASE_SHIM_SQL));
  return true;
}

/** The production files, computed whole (merge included) and proven on PGlite before anything is written. */
export async function planHarden(root: string, project?: CheckedProject, planned?: MergePlan): Promise<{ plan: ProductionPlan; files: OutputFile[] }> {
  project ??= await readCheckedProject(root);
  const merge = planned ?? (await planMerge(root, project));
  const backfillText = await readOptional(join(root, BACKFILL_PATH));
  const backfills: BackfillRule[] = backfillText === undefined ? [] : parseBackfill(backfillText);
  const previousText = await readOptional(join(root, PRODUCTION_STATE));
  const previous: Snapshot | undefined = previousText === undefined ? undefined : parseSnapshot(previousText, PRODUCTION_STATE);
  const plan = planProduction({
    model: project.model,
    merged: merge.result.merged,
    union: merge.result.union,
    backfills,
    ...(previous ? { previous } : {}),
    existingMigrations: await productionMigrationNames(root),
    nowMs: generationTime(),
  });
  const db = await openDatabase({ kind: "pglite" });
  try {
    await ensureSupabaseShim(db);
    await db.knex.transaction((trx) => execScript(trx, plan.freshInstall));
  } catch (error) {
    if (error instanceof DbgenError) throw error;
    throw new DbgenError([
      {
        severity: "error",
        code: "MIGRATION_FAILED",
        file: ".pipeline/database/production/schema.sql",
        message: `The production schema does not apply on PGlite: ${(error as Error).message}`,
        fix: "nothing was written; report this as a bug with the model",
      },
    ]);
  } finally {
    await db.close();
  }
  return { plan, files: [...merge.files, ...plan.files] };
}

export async function hardenCommand(global: GlobalOptions): Promise<CommandResult> {
  const { plan, files } = await planHarden(global.root);
  const changed = await writeOutputs(global.root, files);
  return {
    result: { tables: plan.schema.tables.length, unchanged: plan.unchanged, migrations: plan.migrations.map((m) => m.name), files: files.map((f) => f.path), changed },
    diagnostics: [],
    lines: [
      `production: ${plan.schema.tables.filter((t) => !t.schema).length} tables hardened, proven on PGlite (in memory)`,
      plan.migrations.length ? `new migrations: ${plan.migrations.map((m) => m.name).join(", ")}` : "no new migration: production is unchanged",
      ...files.map((f) => `${changed.includes(f.path) ? "wrote" : "unchanged"} ${f.path}`),
    ],
  };
}

/** `dbgen apply --stage production`: the production migrations not yet applied, in order. */
export async function applyProductionCommand(global: GlobalOptions, options: DatabaseOptions): Promise<CommandResult> {
  const names = await productionMigrationNames(global.root);
  if (names.length === 0) throw new DbgenError([{ severity: "error", code: "INVALID_CONFIG", message: `No production migration in ${PRODUCTION_MIGRATIONS_DIR}`, fix: "run dbgen harden first" }]);
  const target = resolveTarget(options.db, process.env, join(global.root, ".pipeline/database/dev/production"));
  await confirmTarget(target, options, "Applying the production migrations");
  const db = await openTarget(target);
  try {
    if (await ensureSupabaseShim(db)) global.progress("✓ created Supabase's roles and auth functions (the database had none)");
    const applied: string[] = [];
    for (const [index, name] of names.entries()) {
      const file = `${PRODUCTION_MIGRATIONS_DIR}/${name}`;
      const outcome = await applyMigration(db.knex, { module: "production", phase: 0, iteration: index + 1, file, sql: await readFile(join(global.root, file), "utf8") });
      if (outcome === "applied") {
        applied.push(name);
        global.progress(`✓ applied ${file}`);
      }
    }
    const current = currentIteration(await readHistory(db.knex), "production");
    return { result: { applied, current, database: db.description }, diagnostics: [], lines: [`${db.description} has ${current} of ${names.length} production migrations`] };
  } finally {
    await db.close();
  }
}
