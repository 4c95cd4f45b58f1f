/**
 * One reader per input, each reading where the project's layout says. A missing optional file is
 * "none"; an unreadable one is an error, never silence.
 */

import { join } from "node:path";
import { ensureSqlParser } from "@dbgen/busm-reader";
import { type BackfillRule, parseBackfill } from "@dbgen/production-hardener";
import { listDir, type ProjectLayout, readOptional } from "@dbgen/project";
import { parseSnapshot, type Snapshot } from "@dbgen/schema-core";
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
export async function readProductionState(layout: ProjectLayout): Promise<Snapshot | undefined> {
  const text = await readOptional(join(layout.root, layout.productionState));
  return text === undefined ? undefined : parseSnapshot(text, layout.productionState);
}

/** The production up migrations written so far (file names), oldest first. */
export async function readProductionMigrationNames(layout: ProjectLayout): Promise<string[]> {
  return (await listDir(join(layout.root, layout.productionMigrations))).filter(
    (n) => /^\d{14}_[a-z0-9_]+\.sql$/.test(n) && !n.endsWith(".down.sql"),
  );
}
