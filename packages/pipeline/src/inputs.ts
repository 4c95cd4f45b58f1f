/**
 * One reader per input, each reading where the project's layout says. A missing optional file is
 * "none"; an unreadable one is an error, never silence.
 */

import { join } from "node:path";
import { ensureSqlParser } from "@dbgen/busm-reader";
import { type BackfillRule, isDeclarativeFileName, parseBackfill } from "@dbgen/production-hardener";
import { listDir, type ProjectLayout, readOptional, readProductionMigrationName, stateFile } from "@dbgen/project";
import { parseSnapshot, type Schema, type Snapshot, suggestFix, userError } from "@dbgen/schema-core";
import { type ModuleState, type Resolution, readModuleStates, readResolutions } from "@dbgen/schema-merger";

/** Every module's latest prototype state (none when no module has prototyped yet). */
export function readStates(layout: ProjectLayout): Promise<ModuleState[]> {
  return readModuleStates(layout.root, layout.state);
}

export function readResolutionsFile(layout: ProjectLayout): Promise<Resolution[]> {
  return readResolutions(layout.root, layout.resolutions);
}

export async function readBackfills(layout: ProjectLayout): Promise<BackfillRule[]> {
  const text = await readOptional(join(layout.root, layout.backfill));
  if (text === undefined) return [];
  await ensureSqlParser();
  return parseBackfill(text, layout.backfill);
}

/** The production state written last time, if any. */
export async function readProductionState(
  layout: ProjectLayout,
  path: string = layout.productionState,
): Promise<Snapshot | undefined> {
  const text = await readOptional(join(layout.root, path));
  return text === undefined ? undefined : parseSnapshot(text, path);
}

/** The schema the last `dbgen merge` wrote, if any: the merge report tells what changed in access since. */
export async function readMergedState(layout: ProjectLayout): Promise<Schema | undefined> {
  // Only the report reads it: a state the merge cannot read (a folder in its place, a broken file) is
  // one the merge overwrites, or refuses to, when it writes — never a reason to stop here.
  try {
    return (await readProductionState(layout, `${layout.merged}/schema.json`))?.schema;
  } catch {
    return undefined;
  }
}

/** The production up migrations written so far (file names), oldest first. */
export async function readProductionMigrationNames(layout: ProjectLayout): Promise<string[]> {
  return (await listDir(join(layout.root, layout.productionMigrations))).filter(
    (n) => readProductionMigrationName(n) !== undefined,
  );
}

/** A schema a command works on: production's state, or one iteration of a module (default its latest). */
export interface SchemaSource {
  readonly schema: Schema;
  /** `production`, or `{module} iteration {n}`. */
  readonly label: string;
  /** The module, or undefined for production. */
  readonly module?: string;
}

function noSource(message: string, fix: string, file?: string): never {
  throw userError("INVALID_CONFIG", message, fix, { file });
}

/** The production state (no `module`), or a module's iteration state; a missing one is refused with what to do. */
export async function readSchemaSource(
  layout: ProjectLayout,
  options: { readonly module?: string; readonly iteration?: number },
): Promise<SchemaSource> {
  if (options.module === undefined) {
    const state = await readProductionState(layout);
    if (!state)
      noSource(`No production state at ${layout.productionState}`, "run dbgen harden first, or pass --module NAME");
    return { schema: state.schema, label: "production" };
  }
  const states = await readStates(layout);
  const latest = states.find((s) => s.module === options.module);
  if (!latest)
    noSource(
      `No prototype state for module ${options.module} under ${layout.state}`,
      suggestFix(
        options.module,
        states.map((s) => s.module),
        "generate an iteration of it first (dbgen generate)",
      ),
    );
  const iteration = options.iteration ?? latest.iteration;
  if (iteration === latest.iteration)
    return { schema: latest.schema, label: `${latest.module} iteration ${iteration}`, module: latest.module };
  const file = stateFile(layout, latest.module, iteration);
  const text = await readOptional(join(layout.root, file));
  if (text === undefined)
    noSource(`Module ${latest.module} has no iteration ${iteration}`, `choose 1 to ${latest.iteration}`, file);
  return {
    schema: parseSnapshot(text, file).schema,
    label: `${latest.module} iteration ${iteration}`,
    module: latest.module,
  };
}

/** What `supabase/` holds that harden keeps in step: its `config.toml` (if any) and dbgen's schema files there now. */
export async function readSupabaseFolder(
  layout: ProjectLayout,
): Promise<{ readonly config?: string; readonly schemaFiles: readonly string[] }> {
  const config = await readOptional(join(layout.root, layout.supabaseConfig)).catch(() => undefined);
  const schemaFiles = (await listDir(join(layout.root, layout.supabaseSchemas)).catch(() => [])).filter((f) =>
    isDeclarativeFileName(f),
  );
  return { ...(config !== undefined ? { config } : {}), schemaFiles };
}
