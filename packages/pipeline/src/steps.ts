/**
 * The pipeline's steps as the commands share them: each stage's pure plan (from its package) over
 * inputs already read, and the proof on a throwaway PGlite. No step writes; commands publish.
 */

import { dirname, relative } from "node:path";
import { type AnalysedProject, diagnosticAt, type Locator, planModelOutputs } from "@dbgen/busm-reader";
import { readMermaidBundle, renderConceptDocs } from "@dbgen/concept-docs";
import {
  type Database,
  execRaw,
  execScript,
  introspectPostgres,
  proveStatements,
  withScratchDatabase,
} from "@dbgen/db";
import {
  missingConversions,
  type ProductionPlan,
  planProduction,
  SUPABASE_SHIM_SQL,
  withSchemaPaths,
} from "@dbgen/production-hardener";
import type { OutputFile, Project } from "@dbgen/project";
import { generationTime, productionBaseState } from "@dbgen/project";
import {
  DbgenError,
  type Diagnostic,
  physicalShape,
  quoteLiteral,
  type Schema,
  suggestFix,
  userError,
} from "@dbgen/schema-core";
import { type MergeResult, type ModuleState, mergeModules, mergeOutputs } from "@dbgen/schema-merger";
import {
  readBackfills,
  readMergedState,
  readProductionMigrationNames,
  readProductionState,
  readResolutionsFile,
  readStates,
  readSupabaseFolder,
} from "./inputs.js";
import type { CheckedProject } from "./project.js";

export interface ModelStep {
  readonly tables: number;
  readonly statements: number;
  readonly files: readonly OutputFile[];
  readonly warnings: readonly Diagnostic[];
}

/**
 * The whole model's schema, proven on the scratch database `db`: applied, read back equal to the IR,
 * and rolled back, so the same database can prove production next.
 */
export async function modelStep(project: Project, checked: CheckedProject, db: Database): Promise<ModelStep> {
  const schema = checked.schema;
  if (!schema) throw new DbgenError(checked.diagnostics);
  const { layout } = project;
  const outputs = planModelOutputs(schema, checked.model.name ?? "model", layout.model, layout.busm);
  // The model's schema is a Supabase one: it may reference auth.users.
  await ensureSupabaseShim(db);
  await proveStatements(db.knex, outputs.statements, { file: `${layout.model}/schema.sql` }, async (trx) => {
    const live = await introspectPostgres(trx, schema.name);
    // Built from the IR just now: only PostgreSQL's printing of an expression can differ, so those
    // are compared by place, not text.
    const shape = (s: Schema) => JSON.stringify(physicalShape(s, { expressions: "mask" }));
    if (shape(live) !== shape(schema)) throw new Error("the schema PGlite holds differs from the model's IR");
  });
  return {
    tables: schema.tables.length,
    statements: outputs.statements.length,
    files: outputs.files,
    warnings: outputs.warnings,
  };
}

export interface MergeStep {
  readonly result: MergeResult;
  readonly files: readonly OutputFile[];
  readonly modules: readonly string[];
  /** Each module type override production does not take (TYPE_MISMATCH), saying what it took instead. */
  readonly warnings: readonly Diagnostic[];
  /** The model and its lines, for what harden finds against production. */
  readonly busm: Pick<AnalysedProject, "model" | "locator">;
}

/** Every module's latest state merged; undefined when no module has prototyped yet. */
export async function mergeStep(
  project: Project,
  checked: CheckedProject,
  states?: readonly ModuleState[],
): Promise<MergeStep | undefined> {
  const latest = states ?? (await readStates(project.layout));
  if (latest.length === 0) return undefined;
  const result = mergeModules(checked.facts, latest, await readResolutionsFile(project.layout), {
    previous: await readMergedState(project.layout),
    resolutionsFile: project.layout.resolutions,
  });
  const warnings = result.overrides.map(
    (o): Diagnostic => ({
      severity: "warning",
      code: "TYPE_MISMATCH",
      file: project.layout.busm,
      path: `${o.table}.${o.column}`,
      message: `${o.table}.${o.column} (in ${o.modules.join(", ")}): ${o.detail.replace(/ \(a resolution.*$/, "")}`,
      fix: `align the module with the BUSM, or keep the module's type with a resolution in ${project.layout.resolutions}`,
    }),
  );
  return {
    result,
    files: mergeOutputs(result, latest, project.layout),
    modules: latest.map((s) => s.module).sort(),
    warnings,
    busm: { model: checked.model, ...(checked.locator ? { locator: checked.locator } : {}) },
  };
}

/** Like `mergeStep`, for commands that have nothing to do before modules prototype: refuses then. */
export async function requireMergeStep(project: Project, checked: CheckedProject): Promise<MergeStep> {
  const merge = await mergeStep(project, checked);
  if (merge) return merge;
  const fix = "generate an iteration of each module first (dbgen generate --module NAME)";
  const message = `No module has a prototype state under ${project.layout.state}`;
  throw userError("INVALID_CONFIG", message, fix);
}

/** Supabase's roles and auth functions, created on a database that lacks them (plain PostgreSQL, PGlite). */
export async function ensureSupabaseShim(db: Database): Promise<boolean> {
  const { rows } = await db.knex.raw<{ rows: { present: boolean }[] }>(
    "select to_regprocedure('auth.uid()') is not null and exists (select 1 from pg_roles where rolname = 'service_role') and exists (select 1 from pg_publication where pubname = 'supabase_realtime') as present",
  );
  if (rows[0]?.present) return false;
  await db.knex.transaction((trx) => execScript(trx, SUPABASE_SHIM_SQL));
  return true;
}

/** A production plan with what keeps `supabase/` in step: config.toml's schema_paths, stale schema files to remove. */
export interface HardenPlan extends ProductionPlan {
  readonly remove: readonly string[];
  /** Told before anything is written: a column made required that nothing fills (NEEDS_BACKFILL). */
  readonly warnings: readonly Diagnostic[];
}

/** A NOT NULL on a table that may hold rows, with no default and no backfill: say so before it is written. */
function backfillWarnings(plan: ProductionPlan, backfillFile: string): Diagnostic[] {
  return plan.needsBackfill.map(({ table, column, migration }) => ({
    severity: "warning",
    code: "NEEDS_BACKFILL",
    file: backfillFile,
    message: `${migration} makes ${table}.${column} required on a table that may hold rows, and nothing fills it (no default, no backfill): on a database where a row holds NULL there, the migration stops and changes nothing`,
    fix: `if the table has rows, add "- { table: ${table}, column: ${column}, value: …}" under backfill: in ${backfillFile} (or give the field a default in the BUSM) and run dbgen harden again: it re-plans this change while nothing is planned after it`,
  }));
}

/** The production plan over a merge, from the project's files (pure planning; no proof). */
export async function productionPlan(
  project: Project,
  merge: MergeStep,
  options: { readonly complete?: boolean } = {},
): Promise<HardenPlan> {
  const { layout } = project;
  const plan = await planFromFiles(project, merge, options.complete === true);
  const warnings = backfillWarnings(plan, layout.backfill);
  const supabase = await readSupabaseFolder(layout);
  const names = new Set(plan.schemaFiles.map((f) => f.name));
  const remove = supabase.schemaFiles.filter((f) => !names.has(f)).map((f) => `${layout.supabaseSchemas}/${f}`);
  if (supabase.config === undefined) return { ...plan, remove, warnings };
  const fromConfig = relative(dirname(layout.supabaseConfig), layout.supabaseSchemas).replace(/\\/g, "/");
  const paths = plan.schemaFiles.map((f) => `./${fromConfig}/${f.name}`);
  let content: string;
  try {
    content = withSchemaPaths(supabase.config, paths);
  } catch (error) {
    throw userError(
      "INVALID_CONFIG",
      `Cannot name the declarative schema files in [db.migrations] schema_paths: ${(error as Error).message}`,
      "make the file valid TOML, or set schema_paths by hand to the files of supabase/schemas in name order",
      { file: layout.supabaseConfig },
    );
  }
  return { ...plan, files: [...plan.files, { path: layout.supabaseConfig, content }], remove, warnings };
}

/**
 * Type changes production cannot make without the model's conversion: PostgreSQL has no implicit cast
 * (a narrowing, text to a number), so the model must say how (`using`). Refused before anything is
 * planned, by validate and harden alike.
 */
export function conversionProblems(
  model: Pick<AnalysedProject, "model" | "locator">,
  production: Schema | undefined,
  schema: Schema | undefined,
  busmFile: string,
): Diagnostic[] {
  if (!production || !schema) return [];
  const locator: Locator = model.locator ?? { file: busmFile, lineOf: () => undefined };
  return missingConversions(production, schema).map((m) => {
    const entity = m.entity ?? m.table;
    const field = model.model?.entities[entity]?.fields[m.column] ? m.column : undefined;
    const path = field ? ["entities", entity, "fields", field, "type"] : ["entities", entity];
    return diagnosticAt(
      locator,
      path,
      "INVALID_CONFIG",
      `${m.table}.${m.column} changes from ${m.from} to ${m.to} in production, and PostgreSQL has no implicit cast between them: rows could not be converted`,
      `say how in the model: "using": { "sql": "…" } on the field, an expression over ${m.column} (its value before), e.g. round(${m.column})::integer; or keep the type`,
    );
  });
}

async function planFromFiles(project: Project, merge: MergeStep, complete: boolean): Promise<ProductionPlan> {
  const { layout } = project;
  const previous = await readProductionState(layout);
  const refused = conversionProblems(merge.busm, previous?.schema, merge.result.merged, layout.busm);
  if (refused.length > 0) throw new DbgenError(refused);
  const base = await readProductionState(layout, productionBaseState(layout));
  return planProduction({
    merged: merge.result.merged,
    union: merge.result.union,
    backfills: await readBackfills(layout),
    ...(previous ? { previous } : {}),
    ...(base ? { base } : {}),
    existingMigrations: await readProductionMigrationNames(layout),
    nowMs: generationTime(),
    paths: layout,
    timeouts: project.production,
    ...(complete ? { complete } : {}),
  });
}

/**
 * The production plan over a merge, proven: its fresh install applied with Supabase's roles to the
 * scratch database `db` (a fresh in-memory PGlite when none is given).
 */
export async function hardenStep(
  project: Project,
  merge: MergeStep,
  db?: Database,
  options: { readonly complete?: boolean } = {},
): Promise<HardenPlan> {
  const plan = await productionPlan(project, merge, options);
  await proveProduction(project, merge, plan, db);
  return plan;
}

/** The production schema's fresh install applied on `db` (or a scratch PGlite): refused as a bug if it fails. */
export async function proveProduction(
  project: Project,
  merge: MergeStep,
  plan: HardenPlan,
  db?: Database,
): Promise<void> {
  const { layout } = project;
  try {
    const prove = async (scratch: Database) => {
      await ensureSupabaseShim(scratch);
      await scratch.knex.transaction((trx) => execScript(trx, plan.freshInstall));
      await compilePatterns(scratch, merge.result.merged, layout.busm);
    };
    await (db ? prove(db) : withScratchDatabase(prove));
  } catch (error) {
    if (error instanceof DbgenError) throw error;
    const message = `The production schema does not apply on PGlite: ${(error as Error).message}`;
    throw userError("MIGRATION_FAILED", message, "nothing was written; report this as a bug with the model", {
      file: `${layout.production}/schema.sql`,
    });
  }
}

/**
 * PostgreSQL compiles a CHECK's regular expression only when a row is checked: compile each of the
 * model's patterns now, so one PostgreSQL cannot read fails here and not on the first insert.
 */
async function compilePatterns(db: Database, merged: Schema, busmFile: string): Promise<void> {
  const refused: Diagnostic[] = [];
  for (const table of merged.tables)
    for (const column of table.columns) {
      const pattern = column.rules?.pattern;
      if (pattern === undefined) continue;
      try {
        await execRaw(db.knex, `SELECT '' ~ ${quoteLiteral(pattern)}`);
      } catch (error) {
        refused.push({
          severity: "error",
          code: "INVALID_EXPRESSION",
          file: busmFile,
          path: `${table.name}.${column.name}`,
          message: `PostgreSQL cannot compile the pattern of ${table.name}.${column.name}: ${(error as Error).message}`,
          fix: "write the pattern in the syntax JavaScript and PostgreSQL share; nothing was written",
        });
      }
    }
  if (refused.length > 0) throw new DbgenError(refused);
}

/** The concept pages of the whole model and each module (or one module). */
export async function conceptStep(project: Project, checked: CheckedProject, only?: string): Promise<OutputFile[]> {
  const modules = checked.modules
    .filter((m) => m.latest)
    .map((m) => ({ name: m.config.module, selection: m.selection }));
  const names = modules.map((m) => m.name);
  if (only !== undefined && !names.includes(only)) {
    throw userError(
      "INVALID_CONFIG",
      `No module "${only}"`,
      suggestFix(only, names, `use one of: ${names.join(", ")}`),
    );
  }
  const input = { model: checked.model, modules, dir: project.layout.concept, ...(only !== undefined ? { only } : {}) };
  return renderConceptDocs(input, await readMermaidBundle());
}

/** What harden planned, as the front ends tell it: the new migrations (or the re-planned ones). */
export interface MigrationsPlanned {
  /** The migrations' names, in order. */
  readonly migrations: readonly string[];
  /** How many run outside a transaction (one concurrent index each). */
  readonly outsideTransaction: number;
  /** True when they re-plan the latest harden's files under the same names (the backfills changed). */
  readonly replanned: boolean;
}

export function migrationsPlanned(plan: ProductionPlan): MigrationsPlanned {
  return {
    migrations: plan.migrations.map((m) => m.name),
    outsideTransaction: plan.migrations.filter((m) => m.outsideTransaction).length,
    replanned: plan.replanned,
  };
}

/** The tables of the production schema dbgen hardens (Supabase's own, such as auth.users, are not). */
export function hardenedTables(plan: ProductionPlan): number {
  return plan.schema.tables.filter((t) => !t.schema).length;
}
